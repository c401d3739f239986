import type { CodegenConfig } from '@graphql-codegen/cli';

/** Types every GraphQL operation of the app from the published schema: no hand-written API type. */
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/lib/api/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'gql' },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { JSON: 'unknown', Upload: 'File' },
        documentMode: 'string',
      },
    },
  },
};

export default config;
