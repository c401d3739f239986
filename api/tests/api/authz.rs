//! SECURITY.md Z1-Z4, Z6, Z7, A9: who may act on a dossier, drafts, administrators, identity, costly requests.
