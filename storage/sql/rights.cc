#include "storage/sql/rights.h"

#include <string>
#include <string_view>

#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_rights {

namespace {

using sql_rows::Collect;
using sql_rows::Fail;
using sql_rows::QueryOne;

// Runs one statement that binds the contact as ?1 (and, when the SQL uses
// it, `now` as ?2); returns the rows it changed.
Result<int> RunForContact(StatementCache& stmts, std::string_view sql, int64_t contact_id,
                          int64_t now) {
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  if (sql.find("?2") != std::string_view::npos) (*s)->BindInt(2, now);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return static_cast<int>(stmts.db().Changes());
}

Result<int> RunWithCutoff(StatementCache& stmts, std::string_view sql, int64_t cutoff) {
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, cutoff);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return static_cast<int>(stmts.db().Changes());
}

// "The message belongs to no case": its text is the person's alone.
constexpr std::string_view kInNoCase =
    "NOT EXISTS (SELECT 1 FROM case_messages cm WHERE cm.message_id = messages.id)";

}  // namespace

Result<bool> MarkPrivacyNoticed(StatementCache& stmts, int64_t contact_id, int64_t now) {
  auto changed = RunForContact(
      stmts,
      "UPDATE contacts SET privacy_noticed_at = ?2 WHERE id = ?1 AND privacy_noticed_at = 0",
      contact_id, now);
  if (!changed) return Fail(changed);
  return *changed > 0;
}

Result<ContactData> DataOf(StatementCache& stmts, int64_t contact_id) {
  ContactData out;
  {
    auto s = stmts.Get(
        "SELECT created_at, opted_out, language FROM contacts WHERE id = ?1 AND erased_at = 0");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto row = QueryOne<ContactData>(**s, [](const Statement& st) {
      ContactData d;
      d.since = st.ColumnInt(0);
      d.opted_out = st.ColumnInt(1) != 0;
      d.language = st.ColumnText(2);
      return d;
    });
    if (!row) return Fail(row);
    if (!*row) {
      return std::unexpected(Error::NotFound("contact " + std::to_string(contact_id)));
    }
    out = **row;
  }
  {
    auto s = stmts.Get("SELECT count(*) FROM messages WHERE contact_id = ?1 AND direction = 'in'");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto n = QueryOne<int64_t>(**s, [](const Statement& st) { return st.ColumnInt(0); });
    if (!n) return Fail(n);
    out.messages = n->value_or(0);
  }
  {
    auto s = stmts.Get(std::string(sql_rows::kCaseSelect) +
                       " WHERE contact_id = ?1 ORDER BY created_at DESC, id DESC");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto cases = Collect<Case>(**s, sql_rows::ReadCase);
    if (!cases) return Fail(cases);
    out.cases = std::move(*cases);
  }
  {
    auto s = stmts.Get(
        "SELECT g.code FROM group_members m JOIN notice_groups g ON g.id = m.group_id"
        " WHERE m.contact_id = ?1 AND m.left_at = 0 ORDER BY g.code");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto groups = Collect<std::string>(**s, [](const Statement& st) { return st.ColumnText(0); });
    if (!groups) return Fail(groups);
    out.groups = std::move(*groups);
  }
  return out;
}

Result<ErasureReport> EraseContact(StatementCache& stmts, int64_t contact_id, int64_t now) {
  {
    auto s = stmts.Get("SELECT id FROM contacts WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto found = QueryOne<int64_t>(**s, [](const Statement& st) { return st.ColumnInt(0); });
    if (!found) return Fail(found);
    if (!*found) return std::unexpected(Error::NotFound("contact " + std::to_string(contact_id)));
  }
  ErasureReport report;
  // Rows that name one of the contact's addresses, before the addresses go.
  {
    auto changes = RunForContact(
        stmts,
        "DELETE FROM address_changes WHERE EXISTS (SELECT 1 FROM addresses a"
        " WHERE a.contact_id = ?1 AND a.channel_id = address_changes.channel_id"
        " AND (a.address = address_changes.old_address"
        " OR a.address = address_changes.new_address))",
        contact_id, now);
    if (!changes) return Fail(changes);
    // The outbox worker's per-recipient rate key: channel id, "\n", address.
    auto s = stmts.Get(
        "DELETE FROM send_rates WHERE EXISTS (SELECT 1 FROM addresses a"
        " WHERE a.contact_id = ?1 AND send_rates.rate_key = a.channel_id || ?2 || a.address)");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    (*s)->BindText(2, "\n");
    if (Status r = (*s)->Run(); !r) return Fail(r);
  }
  // Notices not yet sent go: their messages fail, their rows too.
  {
    auto failed = RunForContact(
        stmts,
        "UPDATE messages SET status = 'failed' WHERE outbox_id IN"
        " (SELECT id FROM outbox WHERE contact_id = ?1 AND state = 'pending')",
        contact_id, now);
    if (!failed) return Fail(failed);
    auto s = stmts.Get(
        "UPDATE outbox SET state = 'failed', last_error = ?2 WHERE contact_id = ?1"
        " AND state = 'pending'");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    (*s)->BindText(2, kErasedError);
    if (Status r = (*s)->Run(); !r) return Fail(r);
    report.pending_cancelled = static_cast<int>(stmts.db().Changes());
  }
  // Every outbox row of theirs forgets where it went and what it said (the
  // texts of case messages stay in the messages, part of the case). A row
  // being sent right now keeps its state; the worker already holds it.
  static constexpr std::string_view kSteps[] = {
      "UPDATE outbox SET address = '', payload_json = '{}',"
      " last_error = CASE WHEN last_error = 'erased' THEN last_error ELSE '' END,"
      " provider_id = '' WHERE contact_id = ?1",
      // A platform's error text may quote the address.
      "UPDATE message_events SET error_reason = '' WHERE message_id IN"
      " (SELECT id FROM messages WHERE contact_id = ?1)",
      "UPDATE messages SET error_reason = '' WHERE contact_id = ?1",
      "DELETE FROM sessions WHERE contact_id = ?1",
      "DELETE FROM invitations WHERE contact_id = ?1",
      "DELETE FROM scheduled_sends WHERE contact_id = ?1",
      // Activities they follow, and the desa they named (issue 18).
      "DELETE FROM activity_followers WHERE contact_id = ?1",
      "DELETE FROM contact_desa WHERE contact_id = ?1",
  };
  for (std::string_view sql : kSteps) {
    auto r = RunForContact(stmts, sql, contact_id, now);
    if (!r) return Fail(r);
  }
  {
    auto texts = RunForContact(
        stmts,
        "UPDATE messages SET text = '' WHERE contact_id = ?1 AND text != '' AND " +
            std::string(kInNoCase),
        contact_id, now);
    if (!texts) return Fail(texts);
    report.texts_deleted = *texts;
  }
  {
    auto groups = RunForContact(stmts, "DELETE FROM group_members WHERE contact_id = ?1",
                                contact_id, now);
    if (!groups) return Fail(groups);
    report.groups_left = *groups;
  }
  {
    auto addresses =
        RunForContact(stmts, "DELETE FROM addresses WHERE contact_id = ?1", contact_id, now);
    if (!addresses) return Fail(addresses);
    report.addresses = *addresses;
  }
  {
    // The tombstone: no name, opted out of everything, erased.
    auto c = RunForContact(
        stmts,
        "UPDATE contacts SET name = '', opted_out = 1, opted_out_at = ?2, erased_at = ?2"
        " WHERE id = ?1",
        contact_id, now);
    if (!c) return Fail(c);
  }
  {
    auto s = stmts.Get("SELECT count(*) FROM cases WHERE contact_id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto n = QueryOne<int64_t>(**s, [](const Statement& st) { return st.ColumnInt(0); });
    if (!n) return Fail(n);
    report.cases_kept = static_cast<int>(n->value_or(0));
  }
  return report;
}

Result<RetentionReport> ApplyRetention(StatementCache& stmts, const RetentionCutoffs& cutoffs) {
  RetentionReport report;
  // A message still waiting to go keeps its text until it is sent.
  auto texts = RunWithCutoff(
      stmts,
      "UPDATE messages SET text = '' WHERE created_at < ?1 AND text != '' AND " +
          std::string(kInNoCase) +
          " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = messages.outbox_id"
          " AND o.state IN ('pending', 'sending'))",
      cutoffs.message_texts_before);
  if (!texts) return Fail(texts);
  report.message_texts = *texts;
  auto bodies = RunWithCutoff(
      stmts,
      "UPDATE outbox SET payload_json = '{}' WHERE created_at < ?1"
      " AND state IN ('sent', 'failed') AND payload_json != '{}'",
      cutoffs.outbox_bodies_before);
  if (!bodies) return Fail(bodies);
  report.outbox_bodies = *bodies;
  auto events = RunWithCutoff(stmts, "DELETE FROM message_events WHERE at < ?1",
                              cutoffs.delivery_events_before);
  if (!events) return Fail(events);
  report.delivery_events = *events;
  return report;
}

}  // namespace suaradesa::storage::sql_rights
