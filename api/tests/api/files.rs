//! SECURITY.md A2, A3, A4 for uploaded files: active PDF content, re-encoded images, per-dossier limits under parallel uploads.
