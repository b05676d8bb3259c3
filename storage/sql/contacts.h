// Contacts who turn out to be one person (storage/store.h, ContactRef):
// finding the contact of an inbound message across SMS channels and beside a
// WhatsApp BSUID, moving an address when the platform says it changed, and
// merging two contacts into one. Also the data step of migration 0009, which
// rewrote phone addresses to E.164 and merged the duplicates that earlier
// forms had made.
//
// Thread safety: as the connection they are given (the store's write lock).
#ifndef SUARADESA_STORAGE_SQLITE_CONTACTS_H_
#define SUARADESA_STORAGE_SQLITE_CONTACTS_H_

#include <cstdint>
#include <string>

#include "storage/sql/connection.h"
#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_contacts {

inline constexpr int kMergeLatestSchema = 1 << 30;

// Everything of `loser` becomes `survivor`'s: addresses, messages, outbox
// rows, cases, group memberships, invitations, scheduled sends, activities
// followed, the desa named; the more
// recent session is kept; an opt-out on either holds. `loser` is deleted.
// `schema_version`: the schema the database is at (migration 0009 merges
// before later tables exist).
Status MergeContacts(Connection& db, int64_t survivor, int64_t loser,
                     int schema_version = kMergeLatestSchema);

// The contact id reached at (channel_id, address), or 0.
Result<int64_t> ContactAt(StatementCache& stmts, const std::string& channel_id,
                          const std::string& address);

// The contact reached at (channel_id, address), row and all, in one query.
Result<std::optional<Contact>> ContactRowAt(StatementCache& stmts, const std::string& channel_id,
                                            const std::string& address);

// The id of the contact FindOrCreate would find for `ref` once
// `ref.address` itself is known to reach no one (ContactRowAt): under the
// alias, then by the same number on another SMS channel; 0 when it would
// create one. Writes nothing.
Result<int64_t> FindElsewhere(StatementCache& stmts, const ContactRef& ref);

// Tx::TouchContact.
Status Touch(StatementCache& stmts, const ContactRef& ref, int64_t contact_id, int64_t now);

// The id of the contact an inbound message from `ref` belongs to, creating
// the contact and addresses that are missing (see Tx::FindOrCreateContact).
// Sets the message address's last_seen_at to `now` and clears its
// unreachable mark.
Result<int64_t> FindOrCreate(StatementCache& stmts, const ContactRef& ref, int64_t now);

// Tx::ChangeAddress.
Result<bool> ChangeAddress(StatementCache& stmts, const std::string& channel_id,
                           const std::string& change_id, const std::string& old_address,
                           const std::string& new_address, int64_t at);

// Migration 0009's data step: every address (and staff number) written as a
// phone number ("0812...", "+62 812...", "0062...") becomes its E.164 form,
// and the contacts that then share a number are merged into one: on the same
// channel (the Android gateway's "0812..." beside "+62812...") and across
// channels ("+62812..." on two SMS routes). Addresses that are not written
// as phone numbers (Telegram chat ids, WhatsApp wa_ids and BSUIDs, which
// never start with '+' or '0') are left alone.
Status MergePhoneContacts(Connection& db);

}  // namespace suaradesa::storage::sql_contacts

#endif  // SUARADESA_STORAGE_SQLITE_CONTACTS_H_
