// The PostgreSQL implementation of Store, for several gateways sharing one
// database (issue 17). The SQL is the SQLite store's (storage/sql/); what
// differs is how transactions run:
//
// - Store::Transact calls of one process commit together (group commit, as
//   on SQLite): a committer thread runs what is queued as one READ COMMITTED
//   transaction on a pooled connection, each call inside its own SAVEPOINT,
//   so a call that fails is rolled back alone. One transaction per call was
//   measured first: calls that create a case queued on the ticket counter's
//   row lock, held from its update to COMMIT (13 ms on average under
//   `suaradesa bench`). Every decision the shared SQL makes from what it
//   read is guarded where it is written: a UNIQUE key (a retried delivery, a
//   notice sent once, an address), a conditional UPDATE (the session's
//   version, an outbox row's state), or a row that writers update in place
//   and so take in turn (the ticket counter). Within a batch the calls that
//   take a ticket number run last, proposals' before complaints'
//   (Store::Takes, storage/commit_queue.h): batches that locked the two
//   counter rows in opposite orders deadlocked, each deadlock broken only
//   after deadlock_timeout (1 s). A call that loses a race with
//   another gateway anyway runs again after its batch, alone, a few times,
//   before it fails: a deadlock (40P01), a serialization failure (40001), or
//   a UNIQUE key another gateway filled first (23505: two gateways creating
//   the first contact of one new number; run again, it finds the contact).
//   Callbacks must not keep state between runs (they already may not:
//   storage/store.h). SERIALIZABLE was tried: writers of one hot row (the
//   ticket counter) starved each other, each retry meeting the next
//   winner's update.
//   Several committers (PgOptions::committers) run batches at once, each
//   on its own connection: one committer's connection kept one server
//   process busy, about 0.7 ms a message, and that bounded a gateway at
//   1,100-1,400 messages/s under `suaradesa bench` on two cores; four gave
//   1,600-1,900. Their batches are transactions like those of other
//   gateways on the same database, guarded the same way (above); a contact's
//   messages still pass one at a time (gateway/arrival_order.h).
// - Store::Read runs in a REPEATABLE READ READ ONLY transaction: one
//   snapshot, no writes.
// - Durability is PostgreSQL's: synchronous_commit stays on, so a 2xx is
//   answered only after the commit is on disk.
// - A connection that broke is reopened on its next use; the transaction it
//   was running fails with kIo (the platform retries the webhook).
// - Schema versions are recorded in the table schema_version; migrations run
//   under an advisory lock, so gateways that start together migrate once.
//
// Thread safety: all methods may be called from any thread.
#ifndef SUARADESA_STORAGE_POSTGRES_STORE_H_
#define SUARADESA_STORAGE_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "storage/store.h"

namespace suaradesa::storage {

struct PgOptions {
  // A libpq connection string or URI: postgresql://user:password@host/db.
  std::string url;
  // The schema our tables live in (search_path); empty: the server's default
  // ("public"). Letters, digits and '_' only.
  std::string schema;
  int pool_size = 12;            // connections at most
  // Batches of Transact calls committed at once, each on a connection of
  // its own (CommitQueue's committers); 0: a third of pool_size, at least
  // 1 and at most 4, so that reads keep the rest.
  int committers = 0;
  bool apply_migrations = true;  // false: fail if the schema is not current
};

// Connects, checks the schema (migrating it when asked) and returns the
// store. Errors name the server, never the password.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenPgStore(const PgOptions& options);

// Brings the schema of the database at options.url up to date.
[[nodiscard]] Result<MigrationReport> MigratePg(const PgOptions& options);

// `url` as it may be shown or logged: its password replaced by ***.
std::string RedactedPgUrl(const std::string& url);

// Drops options.schema and everything in it.
[[nodiscard]] Status DropPgSchema(const PgOptions& options);
// ANALYZE of every table in options.schema: the planner's statistics, which
// autovacuum refreshes within a minute or so of a table's growth.
[[nodiscard]] Status AnalyzePgSchema(const PgOptions& options);

// The newest PostgreSQL schema version this build knows.
int LatestPgSchemaVersion();

// Times this process waited for a PostgreSQL server's answer (each a round
// trip), over every connection since start: a figure for the bench.
uint64_t PgRoundTrips();

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_POSTGRES_STORE_H_
