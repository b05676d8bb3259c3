// BarChart: a small grouped bar chart drawn as SVG text on the server, so
// the inbox needs no chart library and the chart shows with script off.
// Every text in it is XML-escaped.
//
// Thread safety: a value; RenderSvg is const.
#ifndef SUARADESA_GATEWAY_REPORTS_CHART_H_
#define SUARADESA_GATEWAY_REPORTS_CHART_H_

#include <cstdint>
#include <string>
#include <vector>

namespace suaradesa::reports {

struct BarSeries {
  std::string label;
  std::vector<int64_t> values;        // one per category; missing ones count as 0
};

struct BarChart {
  std::string title;
  std::vector<std::string> categories;  // along the x axis, e.g. months
  std::vector<BarSeries> series;        // bars side by side in each category

  // A standalone SVG document (width 640) with a legend, the value over
  // each bar, and a <title> per bar for screen readers and tooltips.
  std::string RenderSvg() const;
};

}  // namespace suaradesa::reports

#endif  // SUARADESA_GATEWAY_REPORTS_CHART_H_
