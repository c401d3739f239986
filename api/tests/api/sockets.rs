//! SECURITY.md Z5, G8 and the /metrics guard: sockets checked on every operation, every field counted.
