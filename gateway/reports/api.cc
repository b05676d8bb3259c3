#include "gateway/reports/api.h"

#include <httplib.h>

#include <set>

#include "gateway/desk/http_json.h"
#include "gateway/reports/chart.h"

// Routes only: the httplib::Server (HttpServer) sets set_tcp_nodelay(true).
namespace suaradesa::reports {

namespace {

using nlohmann::json;

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The zone of a code: its configured area, else the first configured area
// inside it, else WIB.
int OffsetOf(const Config& config, const std::string& code) {
  if (config.FindArea(code) != nullptr) return config.UtcOffsetMinutesOf(code);
  for (const auto& a : config.areas) {
    if (!code.empty() && StartsWith(a.code, code)) return UtcOffsetMinutes(a.timezone);
  }
  if (code.empty() && !config.areas.empty()) return UtcOffsetMinutes(config.areas[0].timezone);
  return 420;
}

std::string PlaceName(const Config& config, const std::string& code) {
  for (const auto& a : config.areas) {
    if (a.code == code) return a.name;
    for (const auto& d : a.desa) {
      if (d.code == code) return d.name;
    }
  }
  return "";
}

std::string Label(const dialogs::Dialogs& dialogs, const std::string& key) {
  return dialogs.Render(key, json::object(), "id").text;
}

}  // namespace

desk::DeskResult<ReportRequest> RequestFor(const desk::Actor& actor, const Config& config,
                                           const std::string& area, const std::string& from,
                                           const std::string& to, int64_t now) {
  ReportRequest r;
  r.area = area;
  r.now = now;
  if (actor.admin()) {
    if (!area.empty()) r.area_prefixes = {area};
  } else if (area.empty()) {
    r.area_prefixes = actor.areas;
  } else {
    for (const auto& mine : actor.areas) {
      if (StartsWith(area, mine)) {
        r.area_prefixes = {area};  // inside one of theirs
        break;
      }
      if (StartsWith(mine, area)) r.area_prefixes.push_back(mine);  // contains theirs
    }
    if (r.area_prefixes.empty()) {
      return std::unexpected(desk::DeskError{403, "outside_area", "that area is outside your areas"});
    }
  }
  if (!actor.admin() && r.area_prefixes.empty()) {
    // A fasilitator token without areas sees nothing, not everything.
    return std::unexpected(desk::DeskError{403, "outside_area", "the token has no areas"});
  }
  const std::string zone_of = !area.empty() ? area
                              : r.area_prefixes.empty() ? std::string()
                                                        : r.area_prefixes.front();
  r.utc_offset_minutes = OffsetOf(config, zone_of);
  const std::string this_month = LocalMonth(now, r.utc_offset_minutes);
  r.to = to.empty() ? this_month : to;
  if (from.empty()) {
    // Six months, this one included.
    int year = std::stoi(this_month.substr(0, 4));
    int month = std::stoi(this_month.substr(5, 2)) - 5;
    if (month < 1) {
      month += 12;
      year -= 1;
    }
    r.from = std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month);
  } else {
    r.from = from;
  }
  return r;
}

std::optional<std::string> ChartOf(const Report& report, const std::string& chart,
                                   const dialogs::Dialogs& dialogs) {
  BarChart c;
  for (const auto& m : report.months) c.categories.push_back(m.month);
  auto series = [&](const std::string& key, auto value) {
    BarSeries s{Label(dialogs, key), {}};
    for (const auto& m : report.months) s.values.push_back(value(m.figures));
    c.series.push_back(std::move(s));
  };
  if (chart == "residents") {
    c.title = Label(dialogs, "report.chart.residents");
    series("report.series.residents", [](const Figures& f) { return f.residents; });
    std::set<std::string> channels;
    for (const auto& m : report.months) {
      for (const auto& ch : m.figures.residents_by_channel) channels.insert(ch.channel);
    }
    for (const auto& channel : channels) {
      BarSeries s{channel, {}};
      for (const auto& m : report.months) {
        int64_t v = 0;
        for (const auto& ch : m.figures.residents_by_channel) {
          if (ch.channel == channel) v = ch.contacts;
        }
        s.values.push_back(v);
      }
      c.series.push_back(std::move(s));
    }
  } else if (chart == "proposals") {
    c.title = Label(dialogs, "report.chart.proposals");
    series("report.series.proposals", [](const Figures& f) { return f.proposals; });
    series("report.series.womens_forums",
           [](const Figures& f) { return f.womens_forum_proposals; });
  } else if (chart == "meetings") {
    c.title = Label(dialogs, "report.chart.meetings");
    series("report.series.invited", [](const Figures& f) { return f.meetings_invited; });
    series("report.series.hadir", [](const Figures& f) { return f.rsvp_hadir; });
    series("report.series.tidak", [](const Figures& f) { return f.rsvp_tidak; });
  } else if (chart == "complaints") {
    c.title = Label(dialogs, "report.chart.complaints");
    series("report.series.complaints", [](const Figures& f) { return f.complaints; });
    series("report.series.answered", [](const Figures& f) { return f.complaints_answered; });
    series("report.series.on_time", [](const Figures& f) { return f.complaints_on_time; });
  } else {
    return std::nullopt;
  }
  return c.RenderSvg();
}

void RegisterApi(httplib::Server& server, ApiDeps deps) {
  const desk::Guard guard{deps.desk, deps.limiter, deps.clock, deps.log};
  auto authed = [guard](desk::ActorHandler handler) {
    return desk::Authed(guard, std::move(handler));
  };
  // The report the request asks for, or nullopt after answering the error.
  auto build = [deps](const desk::Actor& a, const httplib::Request& req,
                      httplib::Response& res) -> std::optional<Report> {
    auto request = RequestFor(a, *deps.config, req.get_param_value("area"),
                              req.get_param_value("from"), req.get_param_value("to"),
                              deps.clock->NowMillis());
    if (!request) {
      desk::SendError(res, request.error());
      return std::nullopt;
    }
    auto report = BuildReport(*deps.store, *request);
    if (!report) {
      if (report.error().kind == storage::Error::Kind::kInvalid) {
        desk::SendError(res, {400, "bad_request", report.error().message});
      } else {
        deps.log->Error("reports: " + report.error().message);
        desk::SendError(res, desk::FromStorage(report.error()));
      }
      return std::nullopt;
    }
    return std::move(*report);
  };

  server.Get("/api/v1/reports/participation",
             authed([deps, build](const desk::Actor& a, const httplib::Request& req,
                                  httplib::Response& res) {
               auto report = build(a, req, res);
               if (!report) return;
               const Config& config = *deps.config;
               desk::SendJson(res, 200, ToJson(*report, [&config](const std::string& code) {
                                return PlaceName(config, code);
                              }));
             }));

  server.Get("/api/v1/reports/participation.csv",
             authed([build](const desk::Actor& a, const httplib::Request& req,
                            httplib::Response& res) {
               auto report = build(a, req, res);
               if (!report) return;
               desk::SecurityHeaders(res);
               res.set_header("Cache-Control", "no-store");
               res.set_header("Content-Disposition",
                              "attachment; filename=\"participation.csv\"");
               res.set_content(ToCsv(*report), "text/csv; charset=utf-8");
             }));

  server.Get("/api/v1/reports/participation.svg",
             authed([deps, build](const desk::Actor& a, const httplib::Request& req,
                                  httplib::Response& res) {
               const std::string chart = req.get_param_value("chart");
               auto report = build(a, req, res);
               if (!report) return;
               auto svg = ChartOf(*report, chart, *deps.dialogs);
               if (!svg) {
                 desk::SendError(res, {400, "bad_request",
                                       "chart must be residents, proposals, meetings or "
                                       "complaints"});
                 return;
               }
               desk::SecurityHeaders(res);
               res.set_header("Cache-Control", "no-store");
               res.set_content(*svg, "image/svg+xml");
             }));
}

}  // namespace suaradesa::reports
