#include "storage/sql/audit.h"

#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_audit {

using sql_rows::Collect;
using sql_rows::Fail;

Status AddAudit(StatementCache& stmts, const AuditEntry& entry) {
  if (entry.actor.empty() || entry.action.empty()) {
    return std::unexpected(Error::Invalid("an audit entry needs an actor and an action"));
  }
  auto s = stmts.Get("INSERT INTO audit_log (at, actor, action, ticket) VALUES (?1, ?2, ?3, ?4)");
  if (!s) return Fail(s);
  (*s)->BindInt(1, entry.at);
  (*s)->BindText(2, entry.actor);
  (*s)->BindText(3, entry.action);
  (*s)->BindText(4, entry.ticket);
  return (*s)->Run();
}

Result<std::vector<AuditEntry>> ListAudit(StatementCache& stmts, const AuditQuery& query) {
  auto s = stmts.Get(
      "SELECT id, at, actor, action, ticket FROM audit_log"
      " WHERE (CAST(?1 AS BIGINT) IS NULL OR at >= ?1)"
      " AND (CAST(?2 AS BIGINT) IS NULL OR at < ?2)"
      " AND (?3 = '' OR action = ?3)"
      " ORDER BY at DESC, id DESC LIMIT ?4");
  if (!s) return Fail(s);
  (*s)->BindOptionalInt(1, query.from);
  (*s)->BindOptionalInt(2, query.to);
  (*s)->BindText(3, query.action);
  (*s)->BindInt(4, query.limit > 0 ? query.limit : 1000);
  return Collect<AuditEntry>(**s, [](const Statement& st) {
    AuditEntry e;
    e.id = st.ColumnInt(0);
    e.at = st.ColumnInt(1);
    e.actor = st.ColumnText(2);
    e.action = st.ColumnText(3);
    e.ticket = st.ColumnText(4);
    return e;
  });
}

}  // namespace suaradesa::storage::sql_audit
