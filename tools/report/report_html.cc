// report_html.cc: RenderHtmlReport(): summary, SVG charts per metric with alarm overlays, alarm state strips
// and transitions, findings, input details. See report_html.h. Layout of this file: escaping and tolerant
// JSON access; the model read from the document; chart geometry (scales, ticks); the SVG chart; the page.
#include "tools/report/report_html.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/cloudwatch/metrics.h"
#include "engine/routing/findings.h"
#include "engine/version.h"
#include "tools/report/format.h"

namespace trailwatch::engine {
namespace {

using J = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------------
// Escaping and tolerant access

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    switch (c) {
      case '&': out += "&amp;"; ++i; continue;
      case '<': out += "&lt;"; ++i; continue;
      case '>': out += "&gt;"; ++i; continue;
      case '"': out += "&quot;"; ++i; continue;
      case '\'': out += "&#39;"; ++i; continue;
      case '\t': case '\n': case '\r': out.push_back(c); ++i; continue;
      default: break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    // C1 controls (U+0080..U+009F) are not allowed in HTML text either.
    if (n == 2 && u == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

namespace {

std::string Esc(std::string_view s) { return HtmlEscape(s); }

const J* Field(const J& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

const J& Array(const J& obj, const char* key) {
  static const J kEmpty = J::array();
  const J* f = Field(obj, key);
  return f && f->is_array() ? *f : kEmpty;
}

std::optional<double> Num(const J* v) {
  if (!v || !v->is_number()) return std::nullopt;
  double d = v->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}
std::optional<double> Num(const J& obj, const char* key) { return Num(Field(obj, key)); }

std::string FormatNumber(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    // Thousands separators (thin spaces would be nicer, but commas survive copy/paste into spreadsheets).
    std::string digits = buf, out;
    size_t start = digits[0] == '-' ? 1 : 0;
    out = digits.substr(0, start);
    size_t n = digits.size() - start;
    for (size_t i = 0; i < n; ++i) {
      out.push_back(digits[start + i]);
      if ((n - i - 1) % 3 == 0 && i + 1 < n) out.push_back(',');
    }
    return out;
  }
  if (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3) {
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Any JSON value as display text (strings verbatim, numbers formatted, structures as compact JSON).
std::string Text(const J* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return v->get_ref<const std::string&>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number()) {
    if (v->is_number_unsigned()) return FormatNumber(static_cast<double>(v->get<uint64_t>()));
    if (v->is_number_integer()) return FormatNumber(static_cast<double>(v->get<int64_t>()));
    return FormatNumber(v->get<double>());
  }
  return v->dump(-1, ' ', false, J::error_handler_t::replace);
}
std::string Text(const J& obj, const char* key) { return Text(Field(obj, key)); }

using report::FormatBytes;  // tools/report/format.h

// "2023-07-10 12:44 UTC" (seconds only when not zero).
std::string HumanTime(int64_t ms) {
  std::string iso = FormatIsoUtc(ms);  // 2023-07-10T12:44:00Z
  std::string date = iso.substr(0, 10), clock = iso.substr(11, 8);
  if (clock.substr(5) == ":00" && iso.size() == 20) clock = clock.substr(0, 5);
  return date + " " + clock + " UTC";
}

std::string PeriodText(int64_t seconds) {
  if (seconds % 86400 == 0) return std::to_string(seconds / 86400) + (seconds == 86400 ? " day" : " days");
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + " h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds) + " s";
}

std::string Fmt(double v, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// ---------------------------------------------------------------------------------------------------------
// The model read from the document

using DimList = std::vector<std::pair<std::string, std::string>>;

DimList DimsOf(const J* v) {
  DimList out;
  if (v && v->is_object()) {
    for (auto it = v->begin(); it != v->end(); ++it) out.emplace_back(it.key(), Text(&it.value()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct MinutePoint {
  int64_t t = 0;
  double sum = 0, count = 0, min = 0, max = 0;
};

struct Transition {
  int64_t t = 0;
  std::string from, to, reason;
  std::optional<double> value;
};

struct Alarm {
  std::string name, region, ns, metric, statistic, op, treat, final_state, error;
  std::string evaluation_periods, datapoints_to_alarm;  // as displayed
  DimList dims;
  int64_t period = 0;
  std::optional<double> threshold;
  std::vector<Transition> transitions;
  int index = 0;  // palette slot
};

struct Metric {
  std::string ns, name, region, unit, filter, log_group;
  double sum = 0, sample_count = 0;
  DimList dims;
  std::vector<MinutePoint> points;
  std::vector<const Alarm*> alarms;
};

std::string StateClass(const std::string& state) {
  if (state == "ALARM") return "alarm";
  if (state == "OK") return "ok";
  return "insufficient";
}

std::string OpSymbol(const std::string& op) {
  if (op == "GreaterThanOrEqualToThreshold") return "\xE2\x89\xA5";  // ≥
  if (op == "GreaterThanThreshold") return ">";
  if (op == "LessThanThreshold") return "<";
  if (op == "LessThanOrEqualToThreshold") return "\xE2\x89\xA4";  // ≤
  return op;
}

bool AlarmOnMetric(const Alarm& a, const Metric& m) {
  if (a.ns != m.ns || a.metric != m.name || a.dims != m.dims) return false;
  return a.region.empty() || m.region.empty() || a.region == m.region;
}

// Statistic of an alarm per alarm period, from the per-minute points.
std::vector<std::pair<int64_t, double>> AlarmSeries(const Alarm& a, const std::vector<MinutePoint>& pts) {
  std::vector<std::pair<int64_t, double>> out;
  if (a.period <= 0 || a.period % 60 != 0) return out;
  const int64_t p = a.period * 1000;
  std::map<int64_t, MinutePoint> agg;
  for (const MinutePoint& m : pts) {
    int64_t start = FloorDiv(m.t, p) * p;
    auto [it, fresh] = agg.try_emplace(start, MinutePoint{start, m.sum, m.count, m.min, m.max});
    if (!fresh) {
      it->second.sum += m.sum;
      it->second.count += m.count;
      it->second.min = std::min(it->second.min, m.min);
      it->second.max = std::max(it->second.max, m.max);
    }
  }
  for (const auto& [t, m] : agg) {
    double v;
    if (a.statistic == "Sum") v = m.sum;
    else if (a.statistic == "SampleCount") v = m.count;
    else if (a.statistic == "Minimum") v = m.min;
    else if (a.statistic == "Maximum") v = m.max;
    else if (a.statistic == "Average") v = m.count > 0 ? m.sum / m.count : 0;
    else return {};
    out.emplace_back(t, v);
  }
  return out;
}

// State intervals [from, to) of an alarm over [start, end): INSUFFICIENT_DATA until the first transition.
struct Interval {
  int64_t from, to;
  std::string state;
};
std::vector<Interval> StateIntervals(const Alarm& a, int64_t start, int64_t end) {
  std::vector<Interval> out;
  std::string state = "INSUFFICIENT_DATA";
  int64_t t = start;
  for (const Transition& tr : a.transitions) {
    if (tr.t > t) out.push_back({t, std::min(tr.t, end), state});
    t = std::max(t, tr.t);
    state = tr.to;
    if (t >= end) break;
  }
  if (t < end) out.push_back({t, end, state});
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Geometry

struct Scale {
  double d0, d1, r0, r1;
  double operator()(double v) const { return d1 == d0 ? r0 : r0 + (v - d0) * (r1 - r0) / (d1 - d0); }
};

double NiceStep(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double f = raw / mag;
  double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * mag;
}

// Time steps for ticks and bins, in minutes.
constexpr int64_t kTimeSteps[] = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200};

int64_t PickStep(int64_t span_minutes, int64_t max_count) {
  for (int64_t s : kTimeSteps) {
    if (span_minutes / s <= max_count) return s;
  }
  int64_t s = kTimeSteps[std::size(kTimeSteps) - 1];
  while (span_minutes / s > max_count) s *= 2;
  return s;
}

std::string TickLabel(int64_t ms, int64_t step_minutes, bool show_date) {
  std::string iso = FormatIsoUtc(ms);
  if (step_minutes >= 1440) return iso.substr(5, 5);  // MM-DD
  if (show_date) return iso.substr(5, 5) + " " + iso.substr(11, 5);
  return iso.substr(11, 5);
}

const char* kPalette[] = {"#0972d3", "#8a4fd8", "#c35400", "#0a7f7a", "#b0127a", "#5f6b7a"};
constexpr size_t kPaletteSize = std::size(kPalette);

// ---------------------------------------------------------------------------------------------------------
// The chart of one metric

constexpr double kW = 960, kH = 300, kLeft = 64, kRight = 20, kTop = 18, kBottom = 40;

void RenderChart(std::string& o, const Metric& m, int64_t start, int64_t end, int chart_index) {
  const double px0 = kLeft, px1 = kW - kRight, py0 = kH - kBottom, py1 = kTop;
  const int64_t span_min = std::max<int64_t>(1, (end - start + kMinuteMs - 1) / kMinuteMs);
  const int64_t bin = PickStep(span_min, 720);
  const int64_t bin_ms = bin * kMinuteMs;

  // Bars: Sum per bin.
  std::map<int64_t, std::pair<double, double>> bars;  // bin start -> (sum, samples)
  for (const MinutePoint& p : m.points) {
    auto& b = bars[FloorDiv(p.t, bin_ms) * bin_ms];
    b.first += p.sum;
    b.second += p.count;
  }
  // Alarm statistic lines (when they differ from the bars) and thresholds.
  struct Overlay {
    const Alarm* alarm;
    std::vector<std::pair<int64_t, double>> values;  // period start -> statistic
    int64_t width_ms;
  };
  std::vector<Overlay> overlays;
  double ymin = 0, ymax = 0;
  for (const auto& [t, b] : bars) {
    ymin = std::min(ymin, b.first);
    ymax = std::max(ymax, b.first);
  }
  for (const Alarm* a : m.alarms) {
    Overlay ov{a, {}, a->period * 1000};
    if (!(a->statistic == "Sum" && a->period * 1000 == bin_ms)) {
      ov.values = AlarmSeries(*a, m.points);
      if (ov.values.size() > 1500) {
        // Too dense to draw per period: keep, per bin, the value most likely to breach.
        bool low = a->op.rfind("Less", 0) == 0;
        std::map<int64_t, double> env;
        for (const auto& [t, v] : ov.values) {
          auto [it, fresh] = env.try_emplace(FloorDiv(t, bin_ms) * bin_ms, v);
          if (!fresh) it->second = low ? std::min(it->second, v) : std::max(it->second, v);
        }
        ov.values.assign(env.begin(), env.end());
        ov.width_ms = std::max(ov.width_ms, bin_ms);
      }
      for (const auto& [t, v] : ov.values) {
        ymin = std::min(ymin, v);
        ymax = std::max(ymax, v);
      }
    }
    if (a->threshold) {
      ymin = std::min(ymin, *a->threshold);
      ymax = std::max(ymax, *a->threshold);
    }
    overlays.push_back(std::move(ov));
  }
  ymin = std::max(ymin, -1e300);  // keep the arithmetic below finite whatever the document holds
  ymax = std::min(ymax, 1e300);
  if (ymax == ymin) ymax = ymin + 1;
  double step = NiceStep((ymax - ymin) / 5);
  ymax = std::ceil(ymax * 1.08 / step) * step;
  ymin = ymin < 0 ? std::floor(ymin * 1.08 / step) * step : 0;
  if (ymax <= ymin) ymax = ymin + step;
  Scale sx{static_cast<double>(start), static_cast<double>(end), px0, px1};
  Scale sy{ymin, ymax, py0, py1};
  auto cx = [&](int64_t t) { return std::clamp(sx(static_cast<double>(t)), px0, px1); };

  const std::string title = m.ns + " / " + m.name;
  const std::string clip = "plot" + std::to_string(chart_index);
  o += "<svg class=\"chart\" viewBox=\"0 0 " + Fmt(kW, 0) + " " + Fmt(kH, 0) +
       "\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\" aria-label=\"" + Esc("Per-minute sum of " + title) +
       "\">\n";
  o += "<title>" + Esc(title) + "</title>\n";
  o += "<defs><clipPath id=\"" + clip + "\"><rect x=\"" + Fmt(px0) + "\" y=\"" + Fmt(py1) + "\" width=\"" +
       Fmt(px1 - px0) + "\" height=\"" + Fmt(py0 - py1) + "\"/></clipPath></defs>\n";

  // ALARM intervals, shaded, under everything else.
  for (const Alarm* a : m.alarms) {
    for (const Interval& iv : StateIntervals(*a, start, end)) {
      if (iv.state != "ALARM") continue;
      o += "<rect class=\"alarm-band\" x=\"" + Fmt(cx(iv.from)) + "\" y=\"" + Fmt(py1) + "\" width=\"" +
           Fmt(std::max(1.0, cx(iv.to) - cx(iv.from))) + "\" height=\"" + Fmt(py0 - py1) + "\"><title>" +
           Esc(a->name + " in ALARM from " + HumanTime(iv.from) + " to " + HumanTime(iv.to)) + "</title></rect>\n";
    }
  }

  // Y grid and ticks.
  o += "<g class=\"axis y\">\n";
  for (int i = 0; i <= 20; ++i) {
    double v = ymin + step * i;
    if (v > ymax + step / 2) break;
    double y = sy(v);
    o += "<line class=\"grid\" x1=\"" + Fmt(px0) + "\" x2=\"" + Fmt(px1) + "\" y1=\"" + Fmt(y) + "\" y2=\"" + Fmt(y) +
         "\"/><text x=\"" + Fmt(px0 - 8) + "\" y=\"" + Fmt(y + 4) + "\" text-anchor=\"end\">" +
         Esc(FormatNumber(std::abs(v) < step / 1e6 ? 0 : v)) + "</text>\n";
  }
  o += "</g>\n";

  // X ticks.
  const int64_t tick = PickStep(span_min, 8);
  const int64_t tick_ms = tick * kMinuteMs;
  o += "<g class=\"axis x\">\n";
  std::string last_day;
  for (int64_t t = FloorDiv(start + tick_ms - 1, tick_ms) * tick_ms; t <= end; t += tick_ms) {
    double x = sx(static_cast<double>(t));
    std::string day = FormatIsoUtc(t).substr(0, 10);
    bool show_date = day != last_day;
    last_day = day;
    o += "<line class=\"tick\" x1=\"" + Fmt(x) + "\" x2=\"" + Fmt(x) + "\" y1=\"" + Fmt(py0) + "\" y2=\"" +
         Fmt(py0 + 5) + "\"/><text x=\"" + Fmt(x) + "\" y=\"" + Fmt(py0 + 18) + "\" text-anchor=\"middle\">" +
         Esc(TickLabel(t, tick, show_date)) + "</text>\n";
  }
  o += "<text class=\"unit\" x=\"" + Fmt(px1) + "\" y=\"" + Fmt(kH - 4) + "\" text-anchor=\"end\">UTC" +
       (bin > 1 ? std::string(" \xC2\xB7 bars: sum per ") + PeriodText(bin * 60) : std::string("")) + "</text>\n";
  o += "<line class=\"baseline\" x1=\"" + Fmt(px0) + "\" x2=\"" + Fmt(px1) + "\" y1=\"" + Fmt(sy(0)) + "\" y2=\"" +
       Fmt(sy(0)) + "\"/>\n";
  o += "</g>\n";

  // Bars.
  o += "<g class=\"bars\" clip-path=\"url(#" + clip + ")\">\n";
  const double bar_w = std::max(1.0, sx(static_cast<double>(start + bin_ms)) - sx(static_cast<double>(start)));
  const double gap = bar_w > 4 ? 1 : 0;
  for (const auto& [t, b] : bars) {
    double x = sx(static_cast<double>(t));
    double y0 = sy(0), y1 = sy(b.first);
    o += "<rect class=\"bar\" x=\"" + Fmt(x + gap / 2) + "\" y=\"" + Fmt(std::min(y0, y1)) + "\" width=\"" +
         Fmt(std::max(1.0, bar_w - gap)) + "\" height=\"" + Fmt(std::max(0.5, std::abs(y1 - y0))) + "\"><title>" +
         Esc(HumanTime(t) + (bin > 1 ? " (+" + PeriodText(bin * 60) + ")" : "") + ": Sum " + FormatNumber(b.first) +
             ", " + FormatNumber(b.second) + (b.second == 1 ? " sample" : " samples")) +
         "</title></rect>\n";
  }
  o += "</g>\n";

  // Alarm statistic per period, thresholds, transitions.
  for (const Overlay& ov : overlays) {
    const Alarm& a = *ov.alarm;
    const std::string color = kPalette[a.index % kPaletteSize];
    if (!ov.values.empty()) {
      std::string d;
      for (const auto& [t, v] : ov.values) {
        double y = sy(v);
        d += "M" + Fmt(cx(t)) + " " + Fmt(y) + "H" + Fmt(cx(t + ov.width_ms)) + " ";
      }
      o += "<path class=\"stat\" clip-path=\"url(#" + clip + ")\" stroke=\"" + color + "\" d=\"" + d + "\"><title>" +
           Esc(a.name + ": " + a.statistic + " per " + PeriodText(a.period)) + "</title></path>\n";
    }
    if (a.threshold) {
      double y = sy(*a.threshold);
      o += "<g class=\"threshold\"><line x1=\"" + Fmt(px0) + "\" x2=\"" + Fmt(px1) + "\" y1=\"" + Fmt(y) + "\" y2=\"" +
           Fmt(y) + "\" stroke=\"" + color + "\"/><text x=\"" + Fmt(px1 - 4) + "\" y=\"" + Fmt(y - 5) +
           "\" text-anchor=\"end\" style=\"fill:" + color + "\">" +
           Esc(a.name + " " + OpSymbol(a.op) + " " + FormatNumber(*a.threshold) + " (" + a.statistic + " / " +
               PeriodText(a.period) + ")") +
           "</text><title>" + Esc("Threshold of " + a.name) + "</title></g>\n";
    }
    for (const Transition& tr : a.transitions) {
      if (tr.t < start || tr.t > end) continue;
      double x = cx(tr.t);
      o += "<g class=\"transition to-" + StateClass(tr.to) + "\"><line x1=\"" + Fmt(x) + "\" x2=\"" + Fmt(x) +
           "\" y1=\"" + Fmt(py1) + "\" y2=\"" + Fmt(py0) + "\"/><circle cx=\"" + Fmt(x) + "\" cy=\"" + Fmt(py1) +
           "\" r=\"4\"/><title>" +
           Esc(HumanTime(tr.t) + " " + a.name + ": " + tr.from + " \xE2\x86\x92 " + tr.to + "\n" + tr.reason) +
           "</title></g>\n";
    }
  }
  if (m.points.empty()) {
    o += "<text class=\"empty\" x=\"" + Fmt((px0 + px1) / 2) + "\" y=\"" + Fmt((py0 + py1) / 2) +
         "\" text-anchor=\"middle\">No datapoints: nothing was published to this metric</text>\n";
  }
  o += "</svg>\n";
}

// A one-line strip of an alarm's states over the report's time range.
void RenderStateStrip(std::string& o, const Alarm& a, int64_t start, int64_t end) {
  const double w = 600, h = 14;
  Scale sx{static_cast<double>(start), static_cast<double>(end), 0, w};
  o += "<svg class=\"state-strip\" viewBox=\"0 0 600 14\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"" +
       Esc("States of " + a.name) + "\">";
  for (const Interval& iv : StateIntervals(a, start, end)) {
    double x0 = std::clamp(sx(static_cast<double>(iv.from)), 0.0, w);
    double x1 = std::clamp(sx(static_cast<double>(iv.to)), 0.0, w);
    o += "<rect class=\"st-" + StateClass(iv.state) + "\" x=\"" + Fmt(x0, 2) + "\" y=\"0\" width=\"" +
         Fmt(std::max(0.5, x1 - x0), 2) + "\" height=\"" + Fmt(h, 0) + "\"><title>" +
         Esc(iv.state + ": " + HumanTime(iv.from) + " \xE2\x80\x93 " + HumanTime(iv.to)) + "</title></rect>";
  }
  o += "</svg>";
}

// ---------------------------------------------------------------------------------------------------------
// The page

const char kStyle[] = R"css(
:root{--fg:#16191f;--muted:#5f6b7a;--bg:#fff;--panel:#f4f6f8;--line:#d5dbe1;--accent:#0972d3;
--alarm:#d13212;--ok:#1d8102;--insufficient:#8d99a8;--bar:#5b8def;--band:rgba(209,50,18,.12)}
@media (prefers-color-scheme:dark){:root{--fg:#e9ebed;--muted:#a4adb8;--bg:#0f1419;--panel:#1a2029;
--line:#353d48;--bar:#6f9cf2;--band:rgba(255,99,72,.18)}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
header{padding:24px 32px 8px;border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 6px}
.sub{color:var(--muted);margin:0 0 16px}
nav{padding:8px 32px;background:var(--panel);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
nav a{margin-right:18px;color:var(--accent);text-decoration:none}
main{padding:0 32px 32px;max-width:1280px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:120px}
.card .v{font-size:22px;font-weight:600}.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.bad .v{color:var(--alarm)}.card.good .v{color:var(--ok)}
figure.metric{margin:0 0 28px;padding:14px 16px;border:1px solid var(--line);border-radius:8px}
figcaption{margin-bottom:6px}.meta{color:var(--muted);font-size:13px}
.chip{display:inline-block;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:0 8px;
margin-right:4px;font-size:12px}
svg.chart{width:100%;height:auto;display:block;font-size:11px}
svg.chart text{fill:var(--muted)}
.grid{stroke:var(--line);stroke-width:1}.tick{stroke:var(--muted)}.baseline{stroke:var(--muted);stroke-width:1}
.bar{fill:var(--bar)}.bar:hover{opacity:.75}
.alarm-band{fill:var(--band)}
.stat{fill:none;stroke-width:2.5;stroke-linecap:butt}
.threshold line{stroke-width:1.5;stroke-dasharray:6 4}.threshold text{font-weight:600}
.transition line{stroke-width:1.2;stroke-dasharray:2 3}
.transition.to-alarm line,.transition.to-alarm circle{stroke:var(--alarm);fill:var(--alarm)}
.transition.to-ok line,.transition.to-ok circle{stroke:var(--ok);fill:var(--ok)}
.transition.to-insufficient line,.transition.to-insufficient circle{stroke:var(--insufficient);fill:var(--insufficient)}
svg.chart text.empty{font-size:14px}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:12px;color:var(--muted);margin-top:4px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:4px}
.sw.line{height:3px;vertical-align:3px}
svg.state-strip{width:100%;height:14px;display:block;border-radius:3px}
.st-alarm{fill:var(--alarm)}.st-ok{fill:var(--ok)}.st-insufficient{fill:var(--insufficient);opacity:.45}
table{border-collapse:collapse;width:100%;margin:6px 0 16px;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.reason{max-width:560px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.badge{display:inline-block;border-radius:4px;padding:1px 7px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.badge.alarm{background:var(--alarm)}.badge.ok{background:var(--ok)}.badge.insufficient{background:var(--insufficient)}
.sev{display:inline-block;border-radius:4px;padding:1px 7px;font-size:12px;font-weight:600;border:1px solid}
.sev.high{color:var(--alarm)}.sev.medium{color:#c35400}.sev.low{color:var(--accent)}.sev.info{color:var(--muted)}
article.finding{border:1px solid var(--line);border-left:4px solid var(--muted);border-radius:6px;padding:12px 14px;margin:0 0 14px}
article.finding.high{border-left-color:var(--alarm)}article.finding.medium{border-left-color:#c35400}
article.finding.low{border-left-color:var(--accent)}
.error{color:var(--alarm)}
.none{color:var(--muted);font-style:italic}
footer{padding:16px 32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
)css";

void Card(std::string& o, const std::string& label, const std::string& value, const std::string& cls = "") {
  o += "<div class=\"card" + (cls.empty() ? "" : " " + cls) + "\"><div class=\"v\">" + Esc(value) +
       "</div><div class=\"k\">" + Esc(label) + "</div></div>\n";
}

void Badge(std::string& o, const std::string& state) {
  o += "<span class=\"badge " + StateClass(state) + "\">" + Esc(state.empty() ? "?" : state) + "</span>";
}

using engine::SeverityRank;  // engine/routing/findings.h: 0 high, 1 medium, 2 low, 3 not a severity

std::string SeverityClass(const std::string& s) {
  if (SeverityRank(s) < 3) return s;
  return "info";
}

constexpr size_t kMaxTableRows = 500;

// Everything the page shows, read from the result (typed) or from its JSON document (tolerant: missing or
// mistyped fields read as empty), so both give the same page.
struct ExampleRow {
  std::string where, event_id, region, event_time, detail;
};
struct FindingRow {
  std::string severity, kind, message;
  std::optional<double> count;
  std::vector<ExampleRow> examples;
};
struct Model {
  std::string version;
  std::optional<int64_t> start, end;  // the events' time range
  double records = 0, files = 0, bytes = 0, malformed = 0, skipped = 0, unreadable = 0;
  std::vector<Alarm> alarms;
  std::vector<Metric> metrics;
  std::vector<FindingRow> findings;
  std::vector<std::array<std::string, 6>> log_groups;  // name, region, messages, raw, EventBridge, text
  std::vector<std::array<std::string, 6>> files_rows;   // file, format, bytes, records, malformed, skipped
  std::vector<std::array<std::string, 5>> problems;     // file, line, offset, kind, message
};

// The palette slots, alarm sorting and alarm-to-metric links, whichever way the model was read.
void FinishModel(Model& model) {
  int palette_slot = 0;
  for (Alarm& a : model.alarms) {
    std::stable_sort(a.transitions.begin(), a.transitions.end(),
                     [](const Transition& x, const Transition& y) { return x.t < y.t; });
    a.index = palette_slot++;
  }
  for (Metric& m : model.metrics) {
    std::sort(m.points.begin(), m.points.end(), [](const MinutePoint& x, const MinutePoint& y) { return x.t < y.t; });
    m.alarms.clear();
    for (const Alarm& a : model.alarms) {
      if (AlarmOnMetric(a, m)) m.alarms.push_back(&a);
    }
  }
}

Model ModelFromJson(const J& doc) {
  Model model;
  for (const J& aj : Array(doc, "alarms")) {
    Alarm a;
    a.evaluation_periods = Text(aj, "evaluation_periods");
    a.datapoints_to_alarm = Text(aj, "datapoints_to_alarm");
    a.name = Text(aj, "name");
    a.region = Text(aj, "region");
    a.ns = Text(aj, "namespace");
    a.metric = Text(aj, "metric_name");
    a.dims = DimsOf(Field(aj, "dimensions"));
    a.statistic = Text(aj, "statistic");
    a.op = Text(aj, "comparison_operator");
    a.treat = Text(aj, "treat_missing_data");
    a.final_state = Text(aj, "final_state");
    a.error = Text(aj, "error");
    double period = Num(aj, "period").value_or(0);
    a.period = period >= 0 && period <= 100.0 * 365 * 86400 ? static_cast<int64_t>(period) : 0;
    a.threshold = Num(aj, "threshold");
    for (const J& tj : Array(aj, "transitions")) {
      auto t = ParseIsoUtc(Text(tj, "timestamp"));
      if (!t) continue;
      a.transitions.push_back({*t, Text(tj, "from"), Text(tj, "to"), Text(tj, "reason"), Num(tj, "value")});
    }
    model.alarms.push_back(std::move(a));
  }
  for (const J& mj : Array(doc, "metrics")) {
    Metric m;
    m.sum = Num(mj, "sum").value_or(0);
    m.sample_count = Num(mj, "sample_count").value_or(0);
    m.ns = Text(mj, "namespace");
    m.name = Text(mj, "name");
    m.region = Text(mj, "region");
    m.unit = Text(mj, "unit");
    m.filter = Text(mj, "filter");
    m.log_group = Text(mj, "log_group");
    m.dims = DimsOf(Field(mj, "dimensions"));
    for (const J& dj : Array(mj, "datapoints")) {
      auto t = ParseIsoUtc(Text(dj, "timestamp"));
      auto sum = Num(dj, "sum");
      if (!t || !sum) continue;
      MinutePoint p;
      p.t = *t;
      p.sum = *sum;
      p.count = Num(dj, "sample_count").value_or(1);
      p.min = Num(dj, "min").value_or(*sum);
      p.max = Num(dj, "max").value_or(*sum);
      m.points.push_back(p);
    }
    model.metrics.push_back(std::move(m));
  }

  if (const J* tr = Field(doc, "time_range")) {
    model.start = ParseIsoUtc(Text(*tr, "start"));
    model.end = ParseIsoUtc(Text(*tr, "end"));
  }
  model.version = Text(doc, "trailwatch");
  static const J kEmptyObject = J::object();
  const J* input_field = Field(doc, "input");
  const J& input = input_field && input_field->is_object() ? *input_field : kEmptyObject;
  auto count = [&](const char* key) { return Num(input, key).value_or(0); };
  model.records = count("records");
  model.files = count("files");
  model.bytes = count("bytes");
  model.malformed = count("malformed");
  model.skipped = count("skipped");
  model.unreadable = count("unreadable");
  for (const J& f : Array(doc, "findings")) {
    FindingRow row{Text(f, "severity"), Text(f, "kind"), Text(f, "message"), Num(f, "count"), {}};
    for (const J& e : Array(f, "examples")) {
      std::string where = Text(e, "file");
      if (std::string line = Text(e, "line"); !line.empty() && line != "0") where += ":" + line;
      row.examples.push_back({where, Text(e, "event_id"), Text(e, "region"), Text(e, "event_time"), Text(e, "detail")});
    }
    model.findings.push_back(std::move(row));
  }
  for (const J& g : Array(doc, "log_groups")) {
    model.log_groups.push_back({Text(g, "name"), Text(g, "region"), Text(g, "messages"), Text(g, "raw_records"),
                                Text(g, "eventbridge_events"), Text(g, "text")});
  }
  for (const J& f : Array(input, "by_file")) {
    model.files_rows.push_back({Text(f, "file"), Text(f, "format"), Text(f, "bytes"), Text(f, "records"),
                                Text(f, "malformed"), Text(f, "skipped")});
  }
  for (const J& p : Array(input, "problems")) {
    model.problems.push_back(
        {Text(p, "file"), Text(p, "line"), Text(p, "offset"), Text(p, "kind"), Text(p, "message")});
  }
  FinishModel(model);
  return model;
}

// The same from the typed result: what ToJson() would write, read as ModelFromJson() reads it.
std::optional<double> Finite(double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; }
std::string Count(uint64_t n) { return FormatNumber(static_cast<double>(n)); }

Model ModelFromResult(const ReplayResult& r) {
  Model model;
  for (const AlarmEvaluation& e : r.alarms) {
    const AlarmConfig& c = e.config;
    Alarm a;
    a.name = c.name;
    a.region = c.region;
    a.ns = c.metric_namespace;
    a.metric = c.metric_name;
    for (const auto& [k, v] : MakeMetricKey("", "", "", c.dimensions).dimensions) a.dims.emplace_back(k, v);
    std::sort(a.dims.begin(), a.dims.end());
    a.statistic = c.statistic;
    a.op = c.comparison_operator;
    a.treat = c.treat_missing_data.empty() ? std::string("missing") : c.treat_missing_data;
    a.final_state = AlarmStateName(e.final_state);
    if (e.error) a.error = e.error->message;
    a.period = c.period >= 0 ? c.period : 0;  // an int: always within the JSON reading's 100-year bound
    a.threshold = Finite(c.threshold);
    a.evaluation_periods = Count(static_cast<uint64_t>(c.evaluation_periods));
    a.datapoints_to_alarm =
        Count(static_cast<uint64_t>(c.datapoints_to_alarm == 0 ? c.evaluation_periods : c.datapoints_to_alarm));
    for (const AlarmTransition& t : e.transitions) {
      a.transitions.push_back({t.timestamp_ms, AlarmStateName(t.from), AlarmStateName(t.to), t.reason,
                               t.evaluated.empty() ? std::nullopt : Finite(t.evaluated.front().value)});
    }
    model.alarms.push_back(std::move(a));
  }
  for (const MetricSeries& s : r.metrics) {
    Metric m;
    m.ns = s.key.metric_namespace;
    m.name = s.key.name;
    m.region = s.key.region;
    m.unit = s.unit;
    m.filter = JoinNames(s.filters);
    m.log_group = JoinNames(s.log_groups);
    m.sum = Finite(s.total.sum).value_or(0);
    m.sample_count = static_cast<double>(s.total.sample_count);
    for (const auto& [k, v] : s.key.dimensions) m.dims.emplace_back(k, v);
    std::sort(m.dims.begin(), m.dims.end());
    for (const Datapoint& d : s.datapoints) {
      const std::optional<double> sum = Finite(d.stats.sum);
      if (!sum) continue;
      m.points.push_back({d.timestamp_ms, *sum, static_cast<double>(d.stats.sample_count),
                          Finite(d.stats.minimum).value_or(*sum), Finite(d.stats.maximum).value_or(*sum)});
    }
    model.metrics.push_back(std::move(m));
  }
  model.start = r.start_ms;
  model.end = r.end_ms;
  model.version = trailwatch::kVersion;
  const InputStats& in = r.input.stats;
  model.records = static_cast<double>(in.records);
  model.files = static_cast<double>(in.files);
  model.bytes = static_cast<double>(in.bytes);
  model.malformed = static_cast<double>(in.malformed);
  model.skipped = static_cast<double>(in.skipped);
  model.unreadable = static_cast<double>(in.unreadable);
  for (const Finding& f : r.findings) {
    FindingRow row{std::string(SeverityName(f.info().severity)), std::string(f.info().name), f.message,
                   static_cast<double>(f.count), {}};
    for (const FindingExample& e : f.examples) {
      row.examples.push_back(
          {e.file + (e.line ? ":" + Count(e.line) : std::string()), e.event_id, e.region, e.event_time, e.detail});
    }
    model.findings.push_back(std::move(row));
  }
  for (const LogGroupCounts& g : r.log_groups) {
    model.log_groups.push_back({g.name, g.region, Count(g.messages), Count(g.raw_records), Count(g.eventbridge_events),
                                Count(g.text)});
  }
  for (const FileStats& f : in.by_file) {
    model.files_rows.push_back({f.file, InputFormatName(f.format), Count(f.bytes), Count(f.records),
                                Count(f.malformed), Count(f.skipped)});
  }
  for (const InputProblem& p : r.input.problems) {
    model.problems.push_back(
        {p.file, p.line ? Count(p.line) : std::string(), Count(p.offset), ProblemKindName(p.kind), p.message});
  }
  FinishModel(model);
  return model;
}

std::string Render(const Model& model) {
  const std::vector<Alarm>& alarms = model.alarms;
  const std::vector<Metric>& metrics = model.metrics;
  // The time range of the charts: the result's, widened to every datapoint and transition.
  std::optional<int64_t> start = model.start, end = model.end;
  auto widen = [&](int64_t t0, int64_t t1) {
    start = start ? std::min(*start, t0) : t0;
    end = end ? std::max(*end, t1) : t1;
  };
  for (const Metric& m : metrics) {
    for (const MinutePoint& p : m.points) widen(p.t, p.t + kMinuteMs);
  }
  for (const Alarm& a : alarms) {
    for (const Transition& t : a.transitions) widen(t.t - a.period * 1000, t.t);
  }
  if (!start || !end) {
    start = 0;
    end = 3'600'000;
  }
  if (*end <= *start) end = *start + 3'600'000;

  std::string o;
  o.reserve(64 * 1024);
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<title>trailwatch replay report</title>\n<style>";
  o += kStyle;
  o += "</style>\n</head>\n<body>\n";

  // Header.
  o += "<header>\n<h1>trailwatch replay</h1>\n<p class=\"sub\">";
  o += Esc(HumanTime(*start) + " \xE2\x80\x93 " + HumanTime(*end));
  if (!model.version.empty()) o += " \xC2\xB7 trailwatch " + Esc(model.version);
  o += "</p>\n<div class=\"cards\">\n";
  Card(o, "records", FormatNumber(model.records));
  Card(o, "files", FormatNumber(model.files));
  Card(o, "bytes", FormatBytes(model.bytes));
  const double malformed = model.malformed, skipped = model.skipped, unreadable = model.unreadable;
  Card(o, "malformed", FormatNumber(malformed), malformed > 0 ? "bad" : "");
  Card(o, "skipped", FormatNumber(skipped));
  Card(o, "unreadable", FormatNumber(unreadable), unreadable > 0 ? "bad" : "");
  Card(o, "log groups", FormatNumber(static_cast<double>(model.log_groups.size())));
  Card(o, "metrics", FormatNumber(static_cast<double>(metrics.size())));
  size_t ever_alarm = 0;
  for (const Alarm& a : alarms) {
    ever_alarm += std::any_of(a.transitions.begin(), a.transitions.end(), [](const Transition& t) { return t.to == "ALARM"; });
  }
  Card(o, "alarms fired", FormatNumber(static_cast<double>(ever_alarm)) + " / " + FormatNumber(static_cast<double>(alarms.size())),
       ever_alarm > 0 ? "bad" : (alarms.empty() ? "" : "good"));
  size_t high = 0;
  for (const FindingRow& f : model.findings) high += SeverityRank(f.severity) == 0;
  Card(o, "findings", FormatNumber(static_cast<double>(model.findings.size())), high > 0 ? "bad" : "");
  o += "</div>\n</header>\n";
  o += "<nav><a href=\"#metrics\">Metrics</a><a href=\"#alarms\">Alarms</a><a href=\"#findings\">Findings</a>"
       "<a href=\"#input\">Input</a></nav>\n<main>\n";

  // Metrics.
  o += "<section id=\"metrics\">\n<h2>Metrics</h2>\n";
  if (metrics.empty()) o += "<p class=\"none\">No metric filter published a metric.</p>\n";
  int chart_index = 0;
  for (const Metric& m : metrics) {
    o += "<figure class=\"metric\">\n<figcaption><h3>" + Esc(m.ns + " / " + m.name) + "</h3><div class=\"meta\">";
    for (const auto& [k, v] : m.dims) o += "<span class=\"chip\">" + Esc(k + " = " + v) + "</span>";
    std::string meta;
    if (!m.filter.empty()) meta += "filter " + m.filter;
    if (!m.log_group.empty()) meta += (meta.empty() ? "" : " on ") + m.log_group;
    if (!m.region.empty()) meta += (meta.empty() ? "" : " \xC2\xB7 ") + m.region;
    if (!m.unit.empty()) meta += (meta.empty() ? "" : " \xC2\xB7 ") + std::string("unit ") + m.unit;
    meta += (meta.empty() ? "" : " \xC2\xB7 ") + std::string("Sum ") + FormatNumber(m.sum) + " over " +
            FormatNumber(m.sample_count) + " samples";
    o += Esc(meta) + "</div></figcaption>\n";
    RenderChart(o, m, *start, *end, chart_index++);
    o += "<div class=\"legend\"><span><span class=\"sw\" style=\"background:var(--bar)\"></span>Sum per minute</span>";
    for (const Alarm* a : m.alarms) {
      const char* color = kPalette[a->index % kPaletteSize];
      o += "<span><span class=\"sw line\" style=\"background:" + std::string(color) + "\"></span>" +
           Esc(a->name + ": " + a->statistic + " per " + PeriodText(a->period) + ", threshold " + OpSymbol(a->op) + " " +
               (a->threshold ? FormatNumber(*a->threshold) : std::string("?"))) +
           " ";
      Badge(o, a->final_state);
      o += "</span>";
    }
    if (!m.alarms.empty()) {
      o += "<span><span class=\"sw\" style=\"background:var(--band)\"></span>in ALARM</span>";
    } else {
      o += "<span class=\"none\">no alarm watches this metric</span>";
    }
    o += "</div>\n</figure>\n";
  }
  o += "</section>\n";

  // Alarms.
  o += "<section id=\"alarms\">\n<h2>Alarms</h2>\n";
  if (alarms.empty()) {
    o += "<p class=\"none\">The setup has no alarms.</p>\n";
  } else {
    o += "<table class=\"alarms\">\n<thead><tr><th>Alarm</th><th>Condition</th><th>Missing data</th>"
         "<th>Final state</th><th>States over the replay</th></tr></thead>\n<tbody>\n";
    for (const Alarm& a : alarms) {
      o += "<tr><td><strong>" + Esc(a.name) + "</strong><div class=\"meta\">" +
           Esc(a.region + (a.region.empty() ? "" : " \xC2\xB7 ") + a.ns + " / " + a.metric) + "</div>";
      for (const auto& [k, v] : a.dims) o += "<span class=\"chip\">" + Esc(k + " = " + v) + "</span>";
      o += "</td><td>";
      const std::string& n = a.evaluation_periods;
      const std::string& m = a.datapoints_to_alarm;
      o += Esc(a.statistic + " " + OpSymbol(a.op) + " " + (a.threshold ? FormatNumber(*a.threshold) : std::string("?")) +
               " for " + m + " of " + n + " periods of " + PeriodText(a.period));
      o += "</td><td>" + Esc(a.treat) + "</td><td>";
      Badge(o, a.final_state);
      if (!a.error.empty()) o += "<div class=\"error\">" + Esc(a.error) + "</div>";
      o += "</td><td>";
      RenderStateStrip(o, a, *start, *end);
      o += "</td></tr>\n";
    }
    o += "</tbody>\n</table>\n";

    // Transitions, in time order across alarms.
    std::vector<std::pair<const Alarm*, const Transition*>> all;
    for (const Alarm& a : alarms) {
      for (const Transition& t : a.transitions) all.emplace_back(&a, &t);
    }
    std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.second->t < y.second->t; });
    o += "<h3>State transitions</h3>\n";
    if (all.empty()) {
      o += "<p class=\"none\">No alarm changed state.</p>\n";
    } else {
      o += "<table class=\"transitions\">\n<thead><tr><th>Time (UTC)</th><th>Alarm</th><th>Change</th>"
           "<th class=\"num\">Value</th><th>Reason</th></tr></thead>\n<tbody>\n";
      size_t rows = 0;
      for (const auto& [a, t] : all) {
        if (++rows > kMaxTableRows) break;
        o += "<tr><td class=\"mono\">" + Esc(HumanTime(t->t)) + "</td><td>" + Esc(a->name) + "</td><td>";
        Badge(o, t->from);
        o += " \xE2\x86\x92 ";
        Badge(o, t->to);
        o += "</td><td class=\"num\">" + Esc(t->value ? FormatNumber(*t->value) : std::string("\xE2\x80\x94")) +
             "</td><td class=\"reason\">" + Esc(t->reason) + "</td></tr>\n";
      }
      o += "</tbody>\n</table>\n";
      if (all.size() > kMaxTableRows) {
        o += "<p class=\"none\">" + Esc(FormatNumber(static_cast<double>(all.size() - kMaxTableRows))) +
             " more transitions are in the JSON output.</p>\n";
      }
    }
  }
  o += "</section>\n";

  // Findings, most severe first.
  o += "<section id=\"findings\">\n<h2>Findings</h2>\n";
  std::vector<const FindingRow*> findings;
  for (const FindingRow& f : model.findings) findings.push_back(&f);
  std::stable_sort(findings.begin(), findings.end(), [](const FindingRow* x, const FindingRow* y) {
    return SeverityRank(x->severity) < SeverityRank(y->severity);
  });
  if (findings.empty()) o += "<p class=\"none\">No findings.</p>\n";
  for (const FindingRow* f : findings) {
    const std::string& sev = f->severity;
    o += "<article class=\"finding " + SeverityClass(sev) + "\"><h3><span class=\"sev " + SeverityClass(sev) + "\">" +
         Esc(sev.empty() ? "info" : sev) + "</span> " + Esc(f->kind);
    if (f->count) o += " <span class=\"meta\">\xC3\x97 " + Esc(FormatNumber(*f->count)) + "</span>";
    o += "</h3>\n<p>" + Esc(f->message) + "</p>\n";
    if (!f->examples.empty()) {
      o += "<table class=\"examples\">\n<thead><tr><th>Where</th><th>Event</th><th>Region</th><th>Time</th>"
           "<th>Detail</th></tr></thead>\n<tbody>\n";
      size_t rows = 0;
      for (const ExampleRow& e : f->examples) {
        if (++rows > kMaxTableRows) break;
        o += "<tr><td class=\"mono\">" + Esc(e.where) + "</td><td class=\"mono\">" + Esc(e.event_id) + "</td><td>" +
             Esc(e.region) + "</td><td class=\"mono\">" + Esc(e.event_time) + "</td><td><code>" + Esc(e.detail) +
             "</code></td></tr>\n";
      }
      o += "</tbody>\n</table>\n";
    }
    o += "</article>\n";
  }
  o += "</section>\n";

  // Input details.
  o += "<section id=\"input\">\n<h2>Input</h2>\n";
  o += "<h3>Log groups</h3>\n";
  if (model.log_groups.empty()) {
    o += "<p class=\"none\">No log group received messages.</p>\n";
  } else {
    o += "<table>\n<thead><tr><th>Log group</th><th>Region</th><th class=\"num\">Messages</th>"
         "<th class=\"num\">CloudTrail records</th><th class=\"num\">EventBridge events</th><th class=\"num\">Text</th>"
         "</tr></thead>\n<tbody>\n";
    for (const auto& g : model.log_groups) {
      o += "<tr><td class=\"mono\">" + Esc(g[0]) + "</td><td>" + Esc(g[1]) + "</td><td class=\"num\">" + Esc(g[2]) +
           "</td><td class=\"num\">" + Esc(g[3]) + "</td><td class=\"num\">" + Esc(g[4]) + "</td><td class=\"num\">" +
           Esc(g[5]) + "</td></tr>\n";
    }
    o += "</tbody>\n</table>\n";
  }
  const auto& by_file = model.files_rows;
  o += "<h3>Files</h3>\n";
  if (by_file.empty()) {
    o += "<p class=\"none\">No per-file details.</p>\n";
  } else {
    o += "<table>\n<thead><tr><th>File</th><th>Format</th><th class=\"num\">Bytes</th><th class=\"num\">Records</th>"
         "<th class=\"num\">Malformed</th><th class=\"num\">Skipped</th></tr></thead>\n<tbody>\n";
    size_t rows = 0;
    for (const auto& f : by_file) {
      if (++rows > kMaxTableRows) break;
      o += "<tr><td class=\"mono\">" + Esc(f[0]) + "</td><td>" + Esc(f[1]) + "</td><td class=\"num\">" + Esc(f[2]) +
           "</td><td class=\"num\">" + Esc(f[3]) + "</td><td class=\"num\">" + Esc(f[4]) + "</td><td class=\"num\">" +
           Esc(f[5]) + "</td></tr>\n";
    }
    o += "</tbody>\n</table>\n";
    if (by_file.size() > kMaxTableRows) {
      o += "<p class=\"none\">" + Esc(FormatNumber(static_cast<double>(by_file.size() - kMaxTableRows))) +
           " more files are in the JSON output.</p>\n";
    }
  }
  const auto& problems = model.problems;
  o += "<h3>Problems</h3>\n";
  if (problems.empty()) {
    o += "<p class=\"none\">Every input was read.</p>\n";
  } else {
    o += "<table>\n<thead><tr><th>File</th><th class=\"num\">Line</th><th class=\"num\">Offset</th><th>Kind</th>"
         "<th>Message</th></tr></thead>\n<tbody>\n";
    size_t rows = 0;
    for (const auto& p : problems) {
      if (++rows > kMaxTableRows) break;
      o += "<tr><td class=\"mono\">" + Esc(p[0]) + "</td><td class=\"num\">" + Esc(p[1]) + "</td><td class=\"num\">" +
           Esc(p[2]) + "</td><td>" + Esc(p[3]) + "</td><td>" + Esc(p[4]) + "</td></tr>\n";
    }
    o += "</tbody>\n</table>\n";
    if (problems.size() > kMaxTableRows) {
      o += "<p class=\"none\">" + Esc(FormatNumber(static_cast<double>(problems.size() - kMaxTableRows))) +
           " more problems are in the JSON output.</p>\n";
    }
  }
  o += "</section>\n</main>\n";
  o += "<footer>Generated by trailwatch. This page is self-contained: no script, font, image or network "
       "request. Times are UTC; an alarm transition is stamped at the end of the period it evaluated.</footer>\n";
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace

namespace {

std::string Fallback() {
  // Only allocation failure can get here; still answer with a page.
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>trailwatch replay report</title>"
         "</head><body><p>The report could not be rendered.</p></body></html>\n";
}

}  // namespace

std::string RenderHtmlReport(const ReplayResult& result) {
  try {
    return Render(ModelFromResult(result));
  } catch (...) {
    return Fallback();
  }
}

std::string RenderHtmlReport(const nlohmann::ordered_json& replay_result) {
  try {
    return Render(ModelFromJson(replay_result));
  } catch (...) {
    return Fallback();
  }
}

}  // namespace trailwatch::engine
