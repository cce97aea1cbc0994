// cli_util.cc: see cli_util.h.
#include "tools/cli_util.h"

#include "patterns/common/nearest.h"
#include "tools/aws_output/table.h"
#include "tools/aws_output/text.h"
#include "tools/aws_output/yaml.h"
#include "tools/jmespath/jmespath.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace trailwatch::cli {

void validate(boost::any& v, const std::vector<std::string>& values, Count*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(v);
  const std::string& text = po::validators::get_single_string(values);
  uint64_t n = 0;
  bool ok = !text.empty() && text.size() <= 20;
  for (char c : text) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) {
      ok = false;
      break;
    }
    n = n * 10 + d;
  }
  if (!ok) throw po::invalid_option_value(text);
  v = boost::any(Count{n});
}

std::ostream& operator<<(std::ostream& out, const Count& c) { return out << c.value; }

void GuardStandardDescriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = open("/dev/null", O_RDONLY);
    if (opened >= 0 && opened != fd) {
      dup2(opened, fd);
      close(opened);
    }
  }
}

bool CheckStdout() {
  errno = 0;
  std::cout.flush();
  int err = errno;
  const bool flushed = std::fflush(stdout) == 0;
  if (err == 0) err = errno;
  if (flushed && !std::ferror(stdout) && !std::cout.fail()) return true;
  if (err == 0) {
    // The failed write happened earlier (a command's own flush) and its errno is gone: ask the descriptor
    // again. The output is already incomplete, so a probe byte cannot make it worse.
    if (write(STDOUT_FILENO, "", 0) < 0 || write(STDOUT_FILENO, "\n", 1) < 0) err = errno;
  }
  if (err == EPIPE) return true;
  std::fprintf(stderr, "trailwatch: error writing to standard output: %s\n",
               err != 0 ? std::strerror(err) : "the output was not written");
  return false;
}

std::string OptionErrorText(const boost::program_options::error& e,
                            const boost::program_options::options_description& desc) {
  std::string text = e.what();
  const auto* unknown = dynamic_cast<const boost::program_options::unknown_option*>(&e);
  if (unknown == nullptr) return text;
  std::string name = unknown->get_option_name();
  while (!name.empty() && name[0] == '-') name.erase(0, 1);
  if (const size_t eq = name.find('='); eq != std::string::npos) name.resize(eq);
  std::vector<std::string> names;
  for (const auto& option : desc.options()) {
    if (!option->long_name().empty()) names.push_back(option->long_name());
  }
  const std::string near = NearestName(name, names);
  if (!near.empty()) text += " (did you mean --" + near + "?)";
  return text;
}

void AddAwsCliOptions(boost::program_options::options_description& desc, const char* request) {
  namespace po = boost::program_options;
  desc.add_options()
      ("help,h", "show this help")
      ("cli-input-json", po::value<std::string>()->value_name("JSON"), request)
      ("cli-input-yaml", po::value<std::string>()->value_name("YAML"),
       "the same request in YAML (or file://), as --generate-cli-skeleton yaml-input prints it")
      ("generate-cli-skeleton",
       po::value<std::string>()->implicit_value("input")->value_name("input|output|yaml-input"),
       "print a request skeleton (input: JSON, yaml-input: YAML with the members' documentation), or the "
       "response's (output) through --query and --output")
      ("output", po::value<std::string>()->default_value("json")->value_name("json|text|table|yaml|yaml-stream"),
       "output format, as the AWS CLI's")
      ("query", po::value<std::string>()->value_name("EXPRESSION"),
       "a JMESPath expression applied to the output, as the AWS CLI's")
      ("debug", "print the request the AWS CLI would send, on stderr")
      ("endpoint-url", po::value<std::string>()->value_name("URL"),
       "the endpoint --debug shows (checked as aws checks it)")
      ("region", po::value<std::string>()->value_name("REGION"), "the Region --debug shows")
      ("profile", po::value<std::string>()->value_name("NAME"), "ignored (offline)")
      ("no-cli-pager", "ignored")
      ("no-paginate", "ignored (one response)")
      ("color", po::value<std::string>()->value_name("on|off|auto"),
       "colour of --output table (auto: when stdout is a terminal; the other formats have none)")
      ("no-verify-ssl", "ignored (offline)")
      ("no-sign-request", "ignored (offline)")
      ("ca-bundle", po::value<std::string>()->value_name("FILE"), "ignored (offline)")
      ("cli-read-timeout", po::value<std::string>()->value_name("SECONDS"), "ignored (offline)")
      ("cli-connect-timeout", po::value<std::string>()->value_name("SECONDS"), "ignored (offline)")
      ("cli-binary-format", po::value<std::string>()->value_name("base64|raw-in-base64-out"),
       "ignored (no blob parameters)")
      ("cli-auto-prompt", "ignored")
      ("no-cli-auto-prompt", "ignored");
}

bool ParseAwsCliCommand(int argc, char** argv, const boost::program_options::options_description& desc,
                        const AwsTwin& twin, boost::program_options::variables_map* vm, AwsGlobals* globals) {
  namespace po = boost::program_options;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    throw UsageError{OptionErrorText(e, desc) + "\n" + twin.usage};
  }
  if (vm->count("help")) {
    std::cout << twin.usage << "\n" << desc;
    return false;
  }
  if (vm->count("generate-cli-skeleton")) {
    const std::string what = (*vm)["generate-cli-skeleton"].as<std::string>();
    if (what != "input" && what != "output" && what != "yaml-input") {
      throw UsageError{"trailwatch: error: argument --generate-cli-skeleton: Invalid choice, valid choices are:\n\n"
                       "input | output | yaml-input"};
    }
    if (what == "input") {
      PrintAwsJson(twin.input_skeleton);
    } else if (what == "yaml-input") {
      std::cout << twin.yaml_input_skeleton;  // as aws: YAML whatever --output says, --query not applied
    } else {
      AwsGlobals g = AwsGlobalsOf(*vm);
      g.operation = twin.operation;
      if (const int code = PrintAwsResponse(twin.output_skeleton, g); code != kExitOk) throw UsageError{"", code};
    }
    return false;
  }
  *globals = AwsGlobalsOf(*vm);
  globals->operation = twin.operation;
  return true;
}

std::optional<nlohmann::ordered_json> LoadCliInput(const boost::program_options::variables_map& vm) {
  const bool json = vm.count("cli-input-json") > 0, yaml = vm.count("cli-input-yaml") > 0;
  if (json && yaml) throw UsageError{"\nOnly one --cli-input- parameter may be specified."};
  if (!json && !yaml) return std::nullopt;
  nlohmann::ordered_json in;
  if (json) {
    in = nlohmann::ordered_json::parse(LoadParamValue(vm["cli-input-json"].as<std::string>()), nullptr, false);
    if (in.is_discarded()) throw UsageError{"\nError parsing parameter 'cli-input-json': Invalid JSON received."};
  } else {
    auto parsed = awsout::ParseCliInputYaml(LoadParamValue(vm["cli-input-yaml"].as<std::string>()));
    if (!parsed.ok()) {
      const Diagnostic& d = parsed.error();
      // aws's line; then, for a YAML error, where exactly (aws says no more)
      throw UsageError{"\n" + d.aws_message +
                       (d.exception == "YAMLError" && !d.message.empty() ? "\ntrailwatch: " + d.message : "")};
    }
    in = std::move(parsed).value();
  }
  if (!in.is_object()) {
    throw UsageError{std::string("\nError parsing parameter '--cli-input-") + (json ? "json" : "yaml") +
                     "': Invalid type: expecting map, received <class '" + jmespath::PythonTypeName(in) + "'>"};
  }
  return in;
}

AwsGlobals AwsGlobalsOf(const boost::program_options::variables_map& vm) {
  AwsGlobals out;
  out.format = vm.count("output") ? vm["output"].as<std::string>() : "json";
  if (out.format != "json" && out.format != "text" && out.format != "table" && out.format != "yaml" &&
      out.format != "yaml-stream") {
    throw UsageError{"trailwatch: error: argument --output: Invalid choice, valid choices are:\n\njson | text | table | "
                     "yaml | yaml-stream"};
  }
  if (vm.count("color")) {
    out.color = vm["color"].as<std::string>();
    if (out.color != "on" && out.color != "off" && out.color != "auto") {
      throw UsageError{"trailwatch: error: argument --color: Invalid choice, valid choices are:\n\non | off | auto"};
    }
  }
  if (vm.count("cli-binary-format")) {
    const std::string f = vm["cli-binary-format"].as<std::string>();
    if (f != "base64" && f != "raw-in-base64-out") {
      throw UsageError{"trailwatch: error: argument --cli-binary-format: Invalid choice, valid choices are:\n\nbase64 | "
                       "raw-in-base64-out"};
    }
  }
  out.debug = vm.count("debug") > 0;
  out.region = vm.count("region") ? vm["region"].as<std::string>() : "";
  if (out.region.empty()) {
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      const char* v = std::getenv(name);
      if (v != nullptr && *v != '\0') {
        out.region = v;
        break;
      }
    }
  }
  if (out.region.empty()) out.region = "us-east-1";
  if (vm.count("endpoint-url")) {
    out.endpoint_url = vm["endpoint-url"].as<std::string>();
    const size_t colon = out.endpoint_url.find("://");
    if (colon == std::string::npos || colon == 0) {
      throw UsageError{"\nBad value for --endpoint-url \"" + out.endpoint_url +
                       "\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/"};
    }
  }
  if (vm.count("query")) {
    const std::string query = vm["query"].as<std::string>();
    auto e = jmespath::Expression::Compile(query);  // `--query ''` too: the empty expression is refused
    if (!e.ok()) throw UsageError{"\nBad value for --query " + query + ": " + e.error().aws_message};
    out.query = std::move(e).value();
  }
  return out;
}

void PrintAwsDebugRequest(const AwsGlobals& globals, const std::string& service, const std::string& target,
                          const nlohmann::ordered_json& body) {
  if (!globals.debug) return;
  const std::string url =
      globals.endpoint_url.empty() ? "https://" + service + "." + globals.region + ".amazonaws.com/" : globals.endpoint_url;
  std::cerr << "trailwatch: debug: offline: nothing is sent; the AWS CLI would POST to " << url << "\n"
            << "trailwatch: debug: X-Amz-Target: " << target << "\n"
            << "trailwatch: debug: Content-Type: application/x-amz-json-1.1\n"
            << "trailwatch: debug: body: " << jmespath::PythonJsonDumps(body, /*spaced=*/true) << "\n";
}

namespace {

// Nesting beyond which the AWS CLI's Python formatters fail with RecursionError (json.dump, text.py and
// ruamel stop between about 300 and 1000 levels; --output table counts its own frames, table.h).
constexpr int kMaxPrintDepth = 300;

int Depth(const nlohmann::ordered_json& value) {
  int deepest = 0;
  std::vector<std::pair<const nlohmann::ordered_json*, int>> stack = {{&value, 1}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, d);
    if (d > kMaxPrintDepth) break;
    if (v->is_structured()) {
      for (const auto& child : *v) stack.emplace_back(&child, d + 1);
    }
  }
  return deepest;
}

// Prints `value` (the response after --query) as --output says; the exit code.
int PrintAs(const nlohmann::ordered_json& value, const AwsGlobals& g) {
  const bool empty_response = value == nlohmann::ordered_json::object();  // aws prints nothing for {}
  if (g.format != "table" && Depth(value) > kMaxPrintDepth) {
    std::cerr << "\nmaximum recursion depth exceeded while calling a Python object\n";
    return kExitAwsOther;
  }
  if (g.format == "text") {
    std::cout << awsout::FormatText(value);
  } else if (g.format == "yaml") {
    if (!empty_response) std::cout << awsout::FormatYaml(value);
  } else if (g.format == "yaml-stream") {
    if (!empty_response) std::cout << awsout::FormatYaml(nlohmann::ordered_json::array({value}));
  } else if (g.format == "table") {
    const bool tty = StdoutIsTerminal();
    const bool color = g.color == "on" || (g.color == "auto" && tty);
    const awsout::TableOutput t =
        awsout::FormatTable(value, {g.operation, awsout::TerminalWidth(STDOUT_FILENO), color});
    std::cout << t.text;
    if (color && tty) std::cout << "\x1b[0m";  // colorama's reset at exit, on a terminal
    if (!t.error.empty()) {
      // aws's handler writes "\n", the text and "\n"; colorama (--color on) follows each write with a reset
      if (color) std::cerr << "\n\x1b[0m" << t.error << "\x1b[0m\n\x1b[0m";
      else std::cerr << "\n" << t.error << "\n";
      return kExitAwsOther;
    }
  } else if (!empty_response) {
    PrintAwsJson(value);
  }
  return kExitOk;
}

}  // namespace

int PrintAwsResponse(const nlohmann::ordered_json& response, const AwsGlobals& output) {
  if (!output.query) return PrintAs(response, output);
  auto r = output.query->Search(response);
  if (!r.ok()) {
    std::cerr << "\n" << r.error().aws_message << "\n";
    return kExitAwsOther;
  }
  return PrintAs(r.value(), output);
}

std::string LoadParamValue(const std::string& value) {
  std::string path;
  if (value.starts_with("file://")) path = value.substr(7);
  else if (value.starts_with("fileb://")) path = value.substr(8);
  else return value;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError{"Error parsing parameter: Unable to load paramfile " + value + ": [Errno 2] No such file or directory: '" +
                     path + "'"};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

void PrintAwsJson(const nlohmann::ordered_json& j) {
  std::cout << j.dump(4, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  std::cout.flush();
}

void PrintAwsError(std::string_view operation, std::string_view pattern, const Diagnostic& d) {
  std::cerr << "\nAn error occurred (" << d.exception << ") when calling the " << operation
            << " operation: " << (d.aws_message.empty() ? d.message : d.aws_message) << "\n";
  std::cerr << RenderDiagnostic(pattern, d);
}

void PrintWarnings(std::string_view pattern, const std::vector<Diagnostic>& warnings) {
  for (const Diagnostic& w : warnings) {
    std::string text = RenderDiagnostic(pattern, w);
    if (text.starts_with("error: ")) text.replace(0, 7, "warning: ");
    std::cerr << text;
  }
}

void PrintToolError(std::string_view message) { std::cerr << "trailwatch: " << message << "\n"; }

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

engine::ReaderOptions ReaderOptionsFromEnvironment() {
  engine::ReaderOptions options;
  options.prefetch = engine::FastPathEnabled(engine::FastPath::kPrefetch);
  if (!engine::FastPathEnabled(engine::FastPath::kWholeFile)) options.windowed_from = 0;
  return options;
}

}  // namespace trailwatch::cli
