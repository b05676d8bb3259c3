#include "gateway/reports/chart.h"

#include <algorithm>

#include "gateway/markup.h"

namespace suaradesa::reports {

namespace {

// Colours that stay apart for the common colour-vision deficiencies
// (Okabe-Ito).
constexpr const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                    "#56B4E9", "#D55E00", "#F0E442", "#000000"};
constexpr int kWidth = 640;
constexpr int kPlotTop = 40;
constexpr int kPlotHeight = 180;
constexpr int kLeft = 40;
constexpr int kRight = 10;

std::string Num(int64_t v) { return std::to_string(v); }

}  // namespace


std::string BarChart::RenderSvg() const {
  int64_t max = 0;
  for (const auto& s : series) {
    for (int64_t v : s.values) max = std::max(max, v);
  }
  const int legend_rows = static_cast<int>((series.size() + 2) / 3);
  const int height = kPlotTop + kPlotHeight + 30 + legend_rows * 18 + 6;
  const int plot_width = kWidth - kLeft - kRight;
  const int groups = std::max<int>(1, static_cast<int>(categories.size()));
  const int bars = std::max<int>(1, static_cast<int>(series.size()));
  const double group_width = static_cast<double>(plot_width) / groups;
  const double bar_width = std::max(2.0, (group_width - 8) / bars);
  const int base = kPlotTop + kPlotHeight;

  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Num(kWidth) +
                    " " + Num(height) + "\" width=\"" + Num(kWidth) + "\" height=\"" +
                    Num(height) + "\" role=\"img\" aria-label=\"" + EscapeMarkup(title) +
                    "\" font-family=\"sans-serif\" font-size=\"11\">";
  out += "<title>" + EscapeMarkup(title) + "</title>";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>";
  out += "<text x=\"" + Num(kLeft) + "\" y=\"20\" font-size=\"14\" font-weight=\"bold\">" +
         EscapeMarkup(title) + "</text>";
  out += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(base) + "\" x2=\"" +
         Num(kWidth - kRight) + "\" y2=\"" + Num(base) + "\" stroke=\"#333\"/>";
  out += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(kPlotTop + 4) +
         "\" text-anchor=\"end\">" + Num(max) + "</text>";
  out += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(base) + "\" text-anchor=\"end\">0</text>";
  for (int g = 0; g < static_cast<int>(categories.size()); ++g) {
    const double gx = kLeft + g * group_width + 4;
    for (int b = 0; b < static_cast<int>(series.size()); ++b) {
      const auto& values = series[b].values;
      const int64_t v = b < static_cast<int>(series.size()) && g < static_cast<int>(values.size())
                            ? values[g]
                            : 0;
      const int h = max > 0 ? static_cast<int>(v * kPlotHeight / max) : 0;
      const int x = static_cast<int>(gx + b * bar_width);
      out += "<rect class=\"bar\" x=\"" + Num(x) + "\" y=\"" + Num(base - h) + "\" width=\"" +
             Num(std::max(1, static_cast<int>(bar_width) - 1)) + "\" height=\"" + Num(h) +
             "\" fill=\"" + kColours[b % 8] + "\"><title>" +
             EscapeMarkup(series[b].label + ", " + categories[g] + ": " + Num(v)) +
             "</title></rect>";
      if (v > 0 && bar_width >= 12) {
        out += "<text x=\"" + Num(x + static_cast<int>(bar_width / 2)) + "\" y=\"" +
               Num(base - h - 2) + "\" text-anchor=\"middle\" font-size=\"9\">" + Num(v) +
               "</text>";
      }
    }
    out += "<text x=\"" + Num(static_cast<int>(gx + group_width / 2 - 4)) + "\" y=\"" +
           Num(base + 14) + "\" text-anchor=\"middle\">" + EscapeMarkup(categories[g]) + "</text>";
  }
  for (int b = 0; b < static_cast<int>(series.size()); ++b) {
    const int x = kLeft + (b % 3) * 200;
    const int y = base + 30 + (b / 3) * 18;
    out += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
           kColours[b % 8] + "\"/><text x=\"" + Num(x + 14) + "\" y=\"" + Num(y) + "\">" +
           EscapeMarkup(series[b].label) + "</text>";
  }
  out += "</svg>";
  return out;
}

}  // namespace suaradesa::reports
