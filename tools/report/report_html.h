// report_html.h: the self-contained HTML report of a replay.
//
// Contract: RenderHtmlReport() turns a replay's result (engine/routing/result.h) — or the document of
// `trailwatch replay --output json` (README "replay --output json"), which gives the same page — into one
// HTML page that needs nothing else: inline CSS, inline SVG charts computed
// here (no script at all, so everything renders with JavaScript disabled), no fonts, images or network. The
// page has a summary header (inputs, malformed/skipped/unreadable, log groups, metrics, alarms, findings),
// one chart per metric (per-minute Sum as bars, a UTC time axis, a y axis with ticks; for each alarm on the
// metric its statistic per alarm period, its threshold as a horizontal line, its ALARM intervals shaded and
// its transitions as vertical markers), the alarms with a state strip and the table of transitions, the
// findings with their examples, and the input details. Every string of the document is untrusted (event
// text): all of it is HTML-escaped and invalid UTF-8 is replaced, so no input can inject markup. Missing or
// mistyped fields are tolerated (shown empty); the function never throws and never fails.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/routing/result.h"

namespace trailwatch::engine {

std::string RenderHtmlReport(const ReplayResult& result);
std::string RenderHtmlReport(const nlohmann::ordered_json& replay_result);

// Escapes & < > " ' and replaces invalid UTF-8 and control characters (other than tab and newlines) by
// U+FFFD, so the text is safe in element content and in quoted attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace trailwatch::engine
