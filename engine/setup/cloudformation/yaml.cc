// yaml.cc: the YAML reader of the setup loader: a pre-scan of flow collections (FlowScanner), then
// yaml-cpp's event parser feeding a Value builder (YamlBuilder). Only entry points: ScanYamlFlow() and
// ReadYaml() (yaml.h). yaml-cpp throws; every exception is caught in ReadYaml().
#include "engine/setup/cloudformation/yaml.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <istream>
#include <optional>
#include <streambuf>
#include <utility>
#include <vector>

namespace trailwatch::engine::cfn {
namespace {

// Reading an unclosed flow collection, yaml-cpp takes each still-open bracket for a one-entry map whose
// key is the rest (two levels per bracket) before it reports the missing bracket; up to this depth the
// builder lets it get there (nesting errors wait), past it the nesting error stops the reading. Well
// under the 500 levels of yaml-cpp's own guard.
constexpr int kUnclosedAbortDepth = 3 * kMaxDepth;

std::string DepthMessage() { return "nesting deeper than " + std::to_string(kMaxDepth) + " levels"; }

// 1-based line and column of a byte offset, columns in bytes as yaml-cpp counts them.
Mark ByteMark(std::string_view text, size_t offset) {
  Mark m{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 1;
    } else {
      ++m.column;
    }
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------
// The pre-scan. It follows just enough of YAML to know where flow collections are: comments, quoted
// scalars (which may span lines), block scalars (| and >: their content lines are text), plain scalars
// (brackets inside them are text, also on the lines that continue them), tags, anchors and aliases, and
// the end of the first document. Within flow collections only brackets, commas and colons matter, and
// which positions yaml-cpp would take for a potential key (the start of a list item or of a map key, the
// start of a block line, after "- " or "? "): a collection there is buffered whole by yaml-cpp's scanner,
// so its tokens are counted. Where it is unsure it sees less flow rather than more; and should it take
// text for a too-deep collection, the text with that collection cut out reads without error, and
// ReadYaml() then reads the text as it is.

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool IsFlowIndicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

class FlowScanner {
 public:
  // Block collections nested deeper are an error anyway; their columns need not be kept.
  static constexpr size_t kMaxCols = 4 * kMaxDepth;

  explicit FlowScanner(std::string_view text) : t_(text) {}

  FlowScan Run() {
    size_t i = 0;
    bool content = false;  // a node of the first document was seen
    while (i < t_.size()) {
      line_start_ = i;
      size_t indent = 0;
      while (i < t_.size() && t_[i] == ' ') ++i, ++indent;
      size_t first = i;
      while (first < t_.size() && IsBlank(t_[first])) ++first;
      if (first >= t_.size()) break;
      if (t_[first] == '\n') {  // an empty line: belongs to whatever it is in
        i = first + 1;
        continue;
      }
      if (indent == 0 && IsDocumentMarker(i)) {
        if (content) break;  // a second document: yaml-cpp reads only the first
        skip_ = Skip::kNone;
        if (t_[i] == '.') {
          SkipLine(i);
          continue;
        }
        i += 3;  // "---" may be followed by the root node on the same line
        cols_.clear();
        content = true;
        ScanLine(i, -1);
        continue;
      }
      if (skip_ != Skip::kNone && static_cast<int64_t>(indent) > skip_above_ &&
          (skip_ == Skip::kBlockScalar || t_[i] != '#')) {
        SkipLine(i);  // the content of a block scalar, or a line continuing a plain scalar
        continue;
      }
      skip_ = Skip::kNone;
      if (t_[i] == '#' || (indent == 0 && t_[i] == '%')) {  // a comment or a directive
        SkipLine(i);
        continue;
      }
      content = true;
      while (!cols_.empty() && cols_.back() >= static_cast<int64_t>(indent)) cols_.pop_back();
      ScanLine(i, cols_.empty() ? -1 : cols_.back());
    }
    return out_;
  }

 private:
  enum class Skip { kNone, kBlockScalar, kPlain };

  void PushCol(int64_t col) {
    if (cols_.size() < kMaxCols) cols_.push_back(col);
  }
  bool BlankOrEnd(size_t i) const { return i >= t_.size() || IsBlank(t_[i]) || t_[i] == '\n'; }
  bool IsDocumentMarker(size_t i) const {
    return i + 3 <= t_.size() && (t_.compare(i, 3, "---") == 0 || t_.compare(i, 3, "...") == 0) &&
           BlankOrEnd(i + 3);
  }
  void SkipLine(size_t& i) const {
    while (i < t_.size() && t_[i] != '\n') ++i;
  }
  bool CommentAt(size_t i) const { return t_[i] == '#' && (i == line_start_ || IsBlank(t_[i - 1])); }
  // At an opening quote: past the closing one (or the end). Quoted scalars may span lines.
  void SkipQuoted(size_t& i) {
    const char q = t_[i++];
    while (i < t_.size()) {
      const char c = t_[i++];
      if (c == '\n') {
        line_start_ = i;
      } else if (q == '"' && c == '\\') {
        if (i < t_.size() && t_[i] == '\n') line_start_ = i + 1;
        ++i;
      } else if (c == q) {
        if (q == '\'' && i < t_.size() && t_[i] == '\'') {
          ++i;  // '' is a quote inside a single-quoted scalar
        } else {
          return;
        }
      }
    }
  }
  // A tag, an anchor or an alias: up to a blank or (in flow context) a flow indicator.
  void SkipToken(size_t& i) const {
    ++i;
    while (i < t_.size() && !BlankOrEnd(i) && !IsFlowIndicator(t_[i])) ++i;
  }

  // The rest of a block-context line from `i` (its indentation skipped). `parent`: the column of the
  // block collection a node starting the line belongs to (-1: none), for the lines a scalar may take.
  void ScanLine(size_t& i, int64_t parent) {
    bool node_start = true;  // a node may start here
    bool key_ok = true;      // yaml-cpp would take it for a potential key (a block line, after - or ?)
    int64_t owner = parent;     // a scalar starting here goes on over the lines indented more than this
    int64_t last_node = -1;     // where the last node of the line started
    while (i < t_.size() && t_[i] != '\n') {
      const char c = t_[i];
      if (IsBlank(c)) {
        ++i;
        continue;
      }
      const int64_t col = static_cast<int64_t>(i - line_start_);
      if (CommentAt(i)) {
        SkipLine(i);
        return;
      }
      if (!node_start) {  // after a node: only "key: value" goes on
        if (c == ':' && BlankOrEnd(i + 1)) {
          PushCol(last_node);
          owner = last_node;
          node_start = true;
          key_ok = false;
        }
        ++i;
        continue;
      }
      if ((c == '-' || c == '?' || c == ':') && BlankOrEnd(i + 1)) {
        if (c != ':') PushCol(col);
        if (c != ':') owner = col;
        key_ok = true;
        ++i;
        continue;
      }
      switch (c) {
        case '[':
        case '{':
          last_node = col;
          ScanFlow(i, key_ok);
          node_start = false;
          continue;
        case '"':
        case '\'':
          last_node = col;
          SkipQuoted(i);
          node_start = false;
          continue;
        case '|':
        case '>':
          skip_ = Skip::kBlockScalar;
          skip_above_ = owner;
          SkipLine(i);
          return;
        case '!':
        case '&':
          SkipToken(i);  // a node follows; a potential key started here covers it
          continue;
        case '*':
          last_node = col;
          SkipToken(i);
          node_start = false;
          continue;
        default:
          break;
      }
      // A plain scalar: up to ": " (it was a key), " #" or the end of the line (it may go on below).
      last_node = col;
      while (i < t_.size() && t_[i] != '\n' && !(t_[i] == ':' && BlankOrEnd(i + 1)) && !CommentAt(i)) ++i;
      if (i < t_.size() && t_[i] == ':') {
        PushCol(last_node);
        owner = last_node;
        key_ok = false;
        ++i;
        continue;
      }
      if (i >= t_.size() || t_[i] == '\n') {
        skip_ = Skip::kPlain;
        skip_above_ = owner;
      }
      SkipLine(i);
      return;
    }
  }

  // A flow collection from its opening bracket `i` (in block context) to past its closing bracket.
  void ScanFlow(size_t& i, bool key_ok) {
    size_t depth = 0;
    bool key_pos = key_ok;     // a node starting here would be a potential key
    bool json_node = false;    // the last node was quoted or a collection: a ':' right after it is a value
    bool in_plain = false;     // a plain scalar reached the end of the line: the next line may go on with it
    while (i < t_.size()) {
      const char c = t_[i];
      if (c == '\n') {
        line_start_ = ++i;
        continue;
      }
      if (IsBlank(c)) {
        ++i;
        continue;
      }
      if (CommentAt(i)) {
        SkipLine(i);
        in_plain = false;
        continue;
      }
      const bool value_colon = c == ':' && (json_node || BlankOrEnd(i + 1) || (i + 1 < t_.size() &&
                                                                                IsFlowIndicator(t_[i + 1])));
      if (in_plain && !IsFlowIndicator(c) && !value_colon) {
        in_plain = ScanPlain(i);  // the same scalar, on its next line
        continue;
      }
      in_plain = false;
      json_node = false;
      Token();  // every branch below reads one token
      switch (c) {
        case '[':
        case '{':
          Open(i, ++depth, key_pos);
          key_pos = true;
          ++i;
          continue;
        case ']':
        case '}':
          Close(i, depth--);
          ++i;
          key_pos = false;
          json_node = true;
          if (depth == 0) return;
          continue;
        case ',':
          key_pos = true;
          ++i;
          continue;
        case '"':
        case '\'':
          SkipQuoted(i);
          key_pos = false;
          json_node = true;
          continue;
        case '!':
        case '&':
          SkipToken(i);
          continue;
        case '*':
          SkipToken(i);
          key_pos = false;
          continue;
        default:
          break;
      }
      if (value_colon || (c == '?' && BlankOrEnd(i + 1))) {
        key_pos = false;  // a value, or an explicit key: neither is a potential key for yaml-cpp
        ++i;
        continue;
      }
      in_plain = ScanPlain(i);
      key_pos = false;
    }
    // The end of the text inside the collection.
    out_.unclosed = true;
    if (skip_level_ != 0) out_.deep_end = t_.size();
    region_level_ = 0;
  }

  // A plain scalar in flow context; true when it reached the end of the line (it may go on).
  bool ScanPlain(size_t& i) const {
    while (i < t_.size()) {
      const char c = t_[i];
      if (c == '\n') return true;
      if (IsFlowIndicator(c)) return false;
      if (c == ':' && (BlankOrEnd(i + 1) || (i + 1 < t_.size() && IsFlowIndicator(t_[i + 1])))) return false;
      if (c == '#' && IsBlank(t_[i - 1])) return false;
      ++i;
    }
    return false;
  }

  void Open(size_t i, size_t depth, bool key_pos) {
    if (depth > static_cast<size_t>(kMaxDepth) + 1 && out_.deep == FlowScan::npos) {
      out_.deep = i;
      skip_level_ = depth;
    }
    if (key_pos && region_level_ == 0 && skip_level_ == 0) {
      region_level_ = depth;
      region_start_ = i;
      region_tokens_ = 1;
    }
  }
  void Close(size_t i, size_t depth) {
    if (skip_level_ != 0 && depth == skip_level_) {
      out_.deep_end = i + 1;
      skip_level_ = 0;
    }
    if (region_level_ != 0 && depth == region_level_) region_level_ = 0;
  }
  // One token of a potential-key collection (outside its too-deep part, which is cut out): yaml-cpp holds
  // them all until it ends. Counted as the pre-scan reads them: scalars, tags, anchors, aliases, [ ] { } , : ?.
  void Token() {
    if (region_level_ == 0 || skip_level_ != 0) return;
    if (++region_tokens_ > kMaxFlowKeyTokens && out_.long_key == FlowScan::npos) out_.long_key = region_start_;
  }

  std::string_view t_;
  FlowScan out_;
  size_t line_start_ = 0;
  std::vector<int64_t> cols_;  // columns of the block collections open, increasing (the first kMaxCols)
  Skip skip_ = Skip::kNone;
  int64_t skip_above_ = -1;
  size_t skip_level_ = 0;     // inside the first too-deep collection: its depth
  size_t region_level_ = 0;   // inside a potential-key collection: its depth
  size_t region_start_ = 0;
  size_t region_tokens_ = 0;
};

// ---------------------------------------------------------------------------------------------------
// The builder.

// CloudFormation's YAML short forms and the int64_t-form key each stands for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kShortForms = {{
    {"!Ref", "Ref"},
    {"!Condition", "Condition"},
    {"!Sub", "Fn::Sub"},
    {"!GetAtt", "Fn::GetAtt"},
    {"!Join", "Fn::Join"},
    {"!Select", "Fn::Select"},
    {"!Split", "Fn::Split"},
    {"!If", "Fn::If"},
    {"!Equals", "Fn::Equals"},
    {"!And", "Fn::And"},
    {"!Or", "Fn::Or"},
    {"!Not", "Fn::Not"},
    {"!FindInMap", "Fn::FindInMap"},
    {"!GetAZs", "Fn::GetAZs"},
    {"!Base64", "Fn::Base64"},
    {"!ImportValue", "Fn::ImportValue"},
    {"!Cidr", "Fn::Cidr"},
    {"!Length", "Fn::Length"},
    {"!ToJsonString", "Fn::ToJsonString"},
}};

Mark MarkOf(const YAML::Mark& m) {
  return m.line >= 0 ? Mark{static_cast<uint32_t>(m.line) + 1, static_cast<uint32_t>(m.column) + 1} : Mark{};
}

// Thrown by the builder to stop yaml-cpp at a limit (the error is in YamlBuilder::limit).
struct Stop {};

// What copying a value would make: bytes (as CopyBytes), nodes, and how deep it goes below itself.
struct TreeSize {
  size_t bytes = 0;
  size_t nodes = 0;
  int height = 0;
};
TreeSize SizeOf(const Value& v, size_t cap) {
  TreeSize s{kNodeBytes + v.text.size(), 1, 0};
  for (const Value& c : v.children) {
    if (s.bytes > cap) break;
    TreeSize cs = SizeOf(c, cap - s.bytes);
    s.bytes += c.key.size() + cs.bytes;
    s.nodes += cs.nodes;
    s.height = std::max(s.height, cs.height + 1);
  }
  return s;
}

class YamlBuilder : public YAML::EventHandler {
 public:
  // `abort_depth`: nesting past kMaxDepth is an error; past `abort_depth` it stops the reading at once.
  YamlBuilder(const std::string& path, Budget& budget, int abort_depth)
      : path_(path), budget_(budget), abort_depth_(abort_depth) {}

  Value root;
  std::optional<Diagnostic> limit;     // set when a Stop is thrown
  std::optional<Diagnostic> deferred;  // the first other error: reported when the document reads to its end

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    if (Slot() == SlotKind::kKey) {
      Defer(m, pointer_, "a map key must be a string");
      frames_.back().want_key = false;
      return;
    }
    Check(m, 1, depth_, kNodeBytes);
    Value v;
    v.mark = MarkOf(m);
    Register(m, anchor);
    Append(std::move(v));
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    if (Slot() == SlotKind::kKey) {
      // A key keeps its text; a tag on it is ignored (as the loader always did).
      Key(m, text);
      if (anchor != 0) {
        Value k = Value::Plain(text, MarkOf(m));
        if (tag == "!") k.kind = Value::Kind::kString;
        RegisterKey(m, anchor, std::move(k));
      }
      return;
    }
    const std::string_view long_form = LongForm(m, tag);
    const size_t nodes = long_form.empty() ? 1 : 2;
    Check(m, nodes, depth_, nodes * kNodeBytes + text.size() + long_form.size());
    Register(m, anchor);
    if (!materializing_) return Append(Value{});
    // "!" marks a quoted scalar; "?" a plain one; yaml.org tags (!!str, !!int) decide themselves.
    Value v = (tag == "!" || tag == "tag:yaml.org,2002:str") ? Value::String(text, MarkOf(m))
                                                              : Value::Plain(text, MarkOf(m));
    if (!long_form.empty()) {
      Value wrapper;
      wrapper.kind = Value::Kind::kMap;
      wrapper.mark = v.mark;
      v.key = std::string(long_form);
      wrapper.children.push_back(std::move(v));
      return Append(std::move(wrapper));
    }
    Append(std::move(v));
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    const Anchor* a = anchor < anchors_.size() && anchors_[anchor].usable ? &anchors_[anchor] : nullptr;
    const bool key = Slot() == SlotKind::kKey;
    if (!materializing_ || a == nullptr) {  // reading on only to find a syntax error
      if (key) {
        frames_.back().want_key = false;
      } else {
        Check(m, 1, depth_, 0);
        Append(Value{});
      }
      return;
    }
    const Value* source = a->key ? &a->key_value : NodeAt(a->path);
    if (source == nullptr) {
      Limit(m, SlotPointer(), DepthMessage(),
            "the alias *" + a->name + " is inside the node &" + a->name + " names: it would be infinitely deep");
    }
    if (key) {  // marks stay the anchor's, as for any aliased node
      if (!source->IsScalar()) {
        DeferAt(source->mark, pointer_, "a map key must be a string");
        frames_.back().want_key = false;
        return;
      }
      Key(m, source->text, source->mark);
      return;
    }
    const TreeSize size = SizeOf(*source, budget_.limit() - budget_.used());
    Check(m, size.nodes, depth_ + size.height, size.bytes);
    Value copy;  // everything but its key, which is its place's
    copy.kind = source->kind;
    copy.text = source->text;
    copy.children = source->children;
    copy.mark = source->mark;
    Append(std::move(copy));
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(m, tag, anchor, Value::Kind::kSequence);
  }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(m, tag, anchor, Value::Kind::kMap);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapEnd() override { Close(); }

 private:
  // A collection being read.
  struct Frame {
    Value value;               // kind and mark; its children so far (when materializing)
    bool wrapper = false;      // the {"Fn::X": ...} of a short-form tag: its one child is the next frame
    bool is_key = false;       // a collection used as a map key (an error): dropped when it ends
    size_t count = 0;          // children read
    size_t pointer_length = 0; // pointer_ before this frame's segment
    bool want_key = true;      // maps: the next node is a key
    std::string key;           // maps: the key of the entry being read (wrappers: the int64_t form)
    Mark key_mark;
  };
  // What an anchor names: a node (by its path of child indices from the root) or a key's text.
  struct Anchor {
    std::string name;
    std::vector<uint32_t> path;
    bool usable = false;  // registered while materializing
    bool key = false;
    Value key_value;
  };
  enum class SlotKind { kRoot, kItem, kKey, kValue, kWrapped };

  SlotKind Slot() const {
    if (frames_.empty()) return SlotKind::kRoot;
    const Frame& f = frames_.back();
    if (f.wrapper) return SlotKind::kWrapped;
    if (f.value.kind == Value::Kind::kSequence) return SlotKind::kItem;
    return f.want_key ? SlotKind::kKey : SlotKind::kValue;
  }
  // The pointer segment of the node about to be read ("" for the root, a key or a wrapped node).
  std::string SlotSegment() const {
    switch (Slot()) {
      case SlotKind::kItem: return "/" + std::to_string(frames_.back().count);
      case SlotKind::kValue: return "/" + PointerSegment(frames_.back().key);
      default: return "";
    }
  }
  std::string SlotPointer() const { return pointer_ + SlotSegment(); }

  [[noreturn]] void Limit(const YAML::Mark& m, std::string pointer, std::string message, std::string hint = {}) {
    limit = LoadError(path_, MarkOf(m), std::move(pointer), std::move(message), std::move(hint));
    throw Stop{};
  }
  [[noreturn]] void OverBudget(const YAML::Mark& m, std::string pointer) {
    limit = BudgetError(path_, MarkOf(m), std::move(pointer));
    throw Stop{};
  }
  void Defer(const YAML::Mark& m, std::string pointer, std::string message, std::string hint = {}) {
    DeferAt(MarkOf(m), std::move(pointer), std::move(message), std::move(hint));
  }
  void DeferAt(Mark mark, std::string pointer, std::string message, std::string hint = {}) {
    if (!deferred) deferred = LoadError(path_, mark, std::move(pointer), std::move(message), std::move(hint));
    materializing_ = false;  // nothing more is kept: the rest is read for its syntax only
  }

  // The checks before `nodes` nodes are made at the current slot, reaching `depth`, costing `bytes`.
  void Check(const YAML::Mark& m, size_t nodes, int depth, size_t bytes) {
    if (nodes > kMaxNodes - std::min(kMaxNodes, nodes_)) {
      Limit(m, SlotPointer(),
            "the document has more than " + std::to_string(kMaxNodes) + " nodes (YAML aliases expanded)");
    }
    nodes_ += nodes;
    if (depth > kMaxDepth) {
      if (depth > abort_depth_) Limit(m, SlotPointer(), DepthMessage());
      Defer(m, SlotPointer(), DepthMessage());
    }
    if (materializing_ && !budget_.Take(bytes)) OverBudget(m, SlotPointer());
  }

  // The int64_t form of a short-form tag ("" for none); an unknown tag is an error (reported at the end).
  std::string_view LongForm(const YAML::Mark& m, const std::string& tag) {
    if (tag.empty() || tag[0] != '!' || tag == "!") return {};
    for (const auto& [short_form, name] : kShortForms) {
      if (tag == short_form) return name;
    }
    Defer(m, SlotPointer(), "unknown YAML tag " + tag,
          "CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, !And, "
          "!Or, !Not, !FindInMap, !GetAZs, !Base64, !Condition");
    return {};
  }

  void Key(const YAML::Mark& m, const std::string& text, std::optional<Mark> mark = std::nullopt) {
    if (materializing_ && !budget_.Take(text.size())) OverBudget(m, pointer_);
    Frame& f = frames_.back();
    f.key = text;
    f.key_mark = mark.value_or(MarkOf(m));
    f.want_key = false;
  }

  // The path of the node about to be read: the index of the next child in each frame.
  std::vector<uint32_t> SlotPath() const {
    std::vector<uint32_t> path;
    path.reserve(frames_.size());
    for (const Frame& f : frames_) path.push_back(static_cast<uint32_t>(f.value.children.size()));
    return path;
  }
  Anchor& NewAnchor(const YAML::Mark& m, YAML::anchor_t anchor, size_t bytes) {
    if (!budget_.Take(sizeof(Anchor) + anchor_name_.size() + bytes)) OverBudget(m, SlotPointer());
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    Anchor& a = anchors_[anchor];
    a = Anchor{};
    a.name = std::move(anchor_name_);
    a.usable = true;
    return a;
  }
  void Register(const YAML::Mark& m, YAML::anchor_t anchor) {
    if (anchor == 0 || !materializing_) return;
    std::vector<uint32_t> path = SlotPath();
    NewAnchor(m, anchor, path.size() * sizeof(uint32_t)).path = std::move(path);
  }
  void RegisterKey(const YAML::Mark& m, YAML::anchor_t anchor, Value key) {
    if (!materializing_) return;
    Anchor& a = NewAnchor(m, anchor, kNodeBytes + key.text.size());
    a.key = true;
    a.key_value = std::move(key);
  }
  // The node at `path`; nullptr when it is still being read (an alias inside its own anchor).
  const Value* NodeAt(const std::vector<uint32_t>& path) const {
    size_t f = 0;
    const Value* node = nullptr;
    for (uint32_t step : path) {
      if (node != nullptr) {
        node = &node->children[step];
      } else if (step < frames_[f].value.children.size()) {
        node = &frames_[f].value.children[step];
      } else if (++f == frames_.size()) {
        return nullptr;
      }
    }
    return node;
  }

  void Open(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor, Value::Kind kind) {
    if (Slot() == SlotKind::kKey) {
      Defer(m, pointer_, "a map key must be a string");
      Check(m, 1, depth_, 0);
      Push(kind, m, /*wrapper=*/false, /*is_key=*/true);
      return;
    }
    const std::string_view long_form = LongForm(m, tag);
    const size_t nodes = long_form.empty() ? 1 : 2;
    Check(m, nodes, depth_, nodes * kNodeBytes + long_form.size());
    Register(m, anchor);
    if (!long_form.empty()) {
      Push(Value::Kind::kMap, m, /*wrapper=*/true, /*is_key=*/false);
      frames_.back().key = std::string(long_form);
    }
    Push(kind, m, /*wrapper=*/false, /*is_key=*/false);
  }

  void Push(Value::Kind kind, const YAML::Mark& m, bool wrapper, bool is_key) {
    Frame f;
    f.value.kind = kind;
    f.value.mark = MarkOf(m);
    f.wrapper = wrapper;
    f.is_key = is_key;
    f.want_key = kind == Value::Kind::kMap && !wrapper;
    f.pointer_length = pointer_.size();
    if (!is_key) pointer_ += SlotSegment();
    if (!wrapper) ++depth_;
    frames_.push_back(std::move(f));
  }

  void Close() {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    pointer_.resize(f.pointer_length);
    --depth_;
    if (f.is_key) {
      frames_.back().want_key = false;  // the entry's value follows
      return;
    }
    Append(std::move(f.value));
  }

  // Puts a finished node in its place (in the frame on top, or as the root).
  void Append(Value v) {
    if (frames_.empty()) {
      root = std::move(v);
      return;
    }
    Frame& f = frames_.back();
    ++f.count;
    if (f.wrapper) {
      v.key = f.key;
      if (materializing_) f.value.children.push_back(std::move(v));
      Frame w = std::move(f);
      frames_.pop_back();
      pointer_.resize(w.pointer_length);
      Append(std::move(w.value));
      return;
    }
    if (f.value.kind == Value::Kind::kMap) {
      v.key = std::move(f.key);
      v.key_mark = f.key_mark;
      f.key.clear();
      f.want_key = true;
    }
    if (materializing_) f.value.children.push_back(std::move(v));
  }

  const std::string& path_;
  Budget& budget_;
  const int abort_depth_;
  std::vector<Frame> frames_;
  std::vector<Anchor> anchors_;  // by yaml-cpp's anchor id (1, 2, ...)
  std::string anchor_name_;      // of the anchor the next node carries
  std::string pointer_;          // of the frame on top
  int depth_ = 0;                // nesting of the next node (frames but wrappers)
  size_t nodes_ = 0;
  bool materializing_ = true;    // false after an error: the rest is read only for its syntax and limits
};

// A streambuf reading a string_view in place (yaml-cpp reads from a std::istream).
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // only read
    setg(p, p, p + s.size());
  }
};

Result<Value> Build(std::string_view text, const std::string& path, Budget& budget, int abort_depth, bool& limit) {
  ViewBuf buf(text);
  std::istream in(&buf);
  YamlBuilder builder(path, budget, abort_depth);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const Stop&) {
    limit = true;
    return *builder.limit;
  } catch (const YAML::Exception& e) {
    Mark m = MarkOf(e.mark);
    std::string msg = e.msg.empty() ? std::string(e.what()) : e.msg;
    // yaml-cpp's own recursion guard says "bad file"; the builder stops nesting int64_t before it could.
    if (msg == "bad file") {
      limit = true;
      return LoadError(path, m, "", DepthMessage());
    }
    return LoadError(path, m, "", "not valid YAML: " + msg);
  } catch (const std::exception& e) {
    return LoadError(path, {}, "", std::string("cannot read the YAML: ") + e.what());
  }
  if (builder.deferred) return *builder.deferred;
  return std::move(builder.root);
}

}  // namespace

FlowScan ScanYamlFlow(std::string_view text) { return FlowScanner(text).Run(); }

Result<Value> ReadYaml(std::string_view text, const std::string& path, Budget& budget, bool* limit) {
  bool unused = false;
  bool& stopped = limit != nullptr ? *limit : unused;
  stopped = false;
  const FlowScan scan = ScanYamlFlow(text);
  if (scan.long_key != FlowScan::npos && (scan.deep == FlowScan::npos || scan.long_key < scan.deep)) {
    stopped = true;
    return LoadError(path, ByteMark(text, scan.long_key), "",
                     "a flow collection that may be a key has more than " + std::to_string(kMaxFlowKeyTokens) +
                         " tokens (scalars and , : [ ] { })",
                     "yaml-cpp reads a [...] or {...} starting a line, a list item or a key whole before "
                     "parsing it: write it in block style, or as the value of a key");
  }
  if (scan.deep != FlowScan::npos) {
    // Unclosed, yaml-cpp would read the brackets before it as keys: no node reading can tell where the
    // nesting error is, so it is the bracket's.
    if (scan.unclosed) {
      stopped = true;
      return LoadError(path, ByteMark(text, scan.deep), "", DepthMessage());
    }
    // The too-deep collection becomes a plain scalar in its place (its line breaks kept): the reading
    // stops there (or at a node before it) with the nesting error. Only marks after it on the line where
    // it ended would move, and nothing after it is reported but for a syntax error yaml-cpp finds before
    // it has read past the collection. If the reading does not stop, the scan took text for flow syntax.
    std::string cut(text.substr(0, scan.deep));
    cut += 'x';
    for (size_t i = scan.deep + 1; i < scan.deep_end; ++i) {
      if (text[i] == '\n') cut += '\n';
    }
    cut += text.substr(scan.deep_end);
    Budget trial = budget;
    Result<Value> r = Build(cut, path, trial, kMaxDepth, stopped);
    if (!r.ok()) {
      budget = trial;
      return r;
    }
    stopped = false;
  }
  return Build(text, path, budget, scan.unclosed ? kUnclosedAbortDepth : kMaxDepth, stopped);
}

}  // namespace trailwatch::engine::cfn
