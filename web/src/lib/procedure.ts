/** A procedure's detail from the API, kept on the device so that its page and form open offline. */
import { ProcedureDocument } from './api/generated/graphql';
import { ApiError, request } from './api/client';
import { saveProcedure, savedProcedure, type CalendarAdjustment, type ProcedureDetail } from './offline/db';

export interface Loaded {
  detail: ProcedureDetail;
  adjustments: CalendarAdjustment[];
  /** Read from the device because the network failed. */
  fromDevice: boolean;
}

export async function loadProcedure(code: string): Promise<Loaded> {
  try {
    const r = await request(ProcedureDocument, { code });
    await saveProcedure(r.procedure, r.calendarAdjustments).catch(() => undefined);
    return { detail: r.procedure, adjustments: r.calendarAdjustments, fromDevice: false };
  } catch (e) {
    if (e instanceof ApiError && e.offline) {
      const saved = await savedProcedure(code);
      if (saved) return { ...saved, fromDevice: true };
    }
    throw e;
  }
}

/** The fee schedule's items as the catalogue writes them (catalog/README.md). */
export interface FeeItem {
  id: string;
  name: { vi: string; en: string };
  legal_basis: string;
  original_text?: string;
}

export interface FeeVersion {
  version: string;
  valid_from: string;
  valid_to?: string;
  free?: { legal_basis: string };
  items?: FeeItem[];
}

/** The schedule's versions, newest first, for display (the quote itself comes from the core). */
export function feeVersions(fees: unknown): FeeVersion[] {
  const versions = (fees as { versions?: FeeVersion[] } | null)?.versions ?? [];
  return [...versions].sort((a, b) => b.valid_from.localeCompare(a.valid_from));
}
