// cli_util.cc: see cli_util.h.
#include "tools/cli_util.h"

#include "tools/jmespath/jmespath.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
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

void AddAwsCliOptions(boost::program_options::options_description& desc, const char* request) {
  namespace po = boost::program_options;
  desc.add_options()
      ("help,h", "show this help")
      ("cli-input-json", po::value<std::string>(), request)
      ("generate-cli-skeleton", po::value<std::string>()->implicit_value("input"), "print a request skeleton")
      ("output", po::value<std::string>()->default_value("json"), "output format (json)")
      ("query", po::value<std::string>(), "a JMESPath expression applied to the output, as the AWS CLI's")
      ("region", po::value<std::string>(), "ignored (offline)")
      ("profile", po::value<std::string>(), "ignored (offline)")
      ("no-cli-pager", "ignored");
}

bool ParseAwsCliCommand(int argc, char** argv, const boost::program_options::options_description& desc,
                        const char* usage, const nlohmann::ordered_json& input_skeleton,
                        const nlohmann::ordered_json& output_skeleton, boost::program_options::variables_map* vm) {
  namespace po = boost::program_options;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what()) + "\n" + usage};
  }
  if (vm->count("help")) {
    std::cout << usage << "\n" << desc;
    return false;
  }
  if (vm->count("generate-cli-skeleton")) {
    const std::string what = (*vm)["generate-cli-skeleton"].as<std::string>();
    if (what != "input" && what != "output") {
      throw UsageError{"argument --generate-cli-skeleton: Invalid choice, valid choices are: input | output"};
    }
    if (what == "input") {
      PrintAwsJson(input_skeleton);
    } else {
      const std::optional<std::string> query = QueryOf(*vm);
      if (const int code = PrintAwsResponse(output_skeleton, query); code != kExitOk) throw UsageError{"", code};
    }
    return false;
  }
  if ((*vm)["output"].as<std::string>() != "json") {
    throw UsageError{"--output " + (*vm)["output"].as<std::string>() + " is not supported; trailwatch prints json"};
  }
  (void)QueryOf(*vm);
  return true;
}

std::optional<std::string> QueryOf(const boost::program_options::variables_map& vm) {
  if (!vm.count("query")) return std::nullopt;
  const std::string query = vm["query"].as<std::string>();
  auto e = jmespath::Expression::Compile(query);  // `--query ''` too: the empty expression is refused
  if (!e.ok()) throw UsageError{"\nBad value for --query " + query + ": " + e.error().aws_message};
  return query;
}

int PrintAwsResponse(const nlohmann::ordered_json& response, const std::optional<std::string>& query) {
  if (!query) {
    PrintAwsJson(response);
    return kExitOk;
  }
  auto e = jmespath::Expression::Compile(*query);
  if (!e.ok()) {
    std::cerr << "\nBad value for --query " << *query << ": " << e.error().aws_message << "\n";
    return kExitAwsUsage;
  }
  auto r = e->Search(response);
  if (!r.ok()) {
    std::cerr << "\n" << r.error().aws_message << "\n";
    return kExitAwsOther;
  }
  PrintAwsJson(r.value());
  return kExitOk;
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

nlohmann::ordered_json LoadCliInputJson(const std::string& value) {
  const std::string text = LoadParamValue(value);
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    throw UsageError{"Error parsing parameter 'cli-input-json': Invalid JSON received."};
  }
  if (!j.is_object()) {
    throw UsageError{"Error parsing parameter 'cli-input-json': Invalid JSON received: expected an object."};
  }
  return j;
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
