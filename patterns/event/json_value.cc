// json_value.cc: see json_value.h.
#include "patterns/event/json_value.h"

#include "patterns/event/lexer.h"

namespace trailwatch::event {

bool ParseJsonValue(std::string_view text, JsonValue* out, std::string* error) {
  *out = JsonValue{};
  uint32_t bad;
  if (FindInvalidUtf8(text, &bad, error)) return false;
  JsonLexer lex(text);
  std::vector<JsonValue*> stack;
  std::string pending_key;
  auto place = [&](JsonValue v) -> JsonValue* {
    if (stack.empty()) {
      *out = std::move(v);
      return out;
    }
    JsonValue* top = stack.back();
    if (top->type == JsonValue::kArray) {
      top->elements.push_back(std::move(v));
      return &top->elements.back();
    }
    top->members.push_back(JsonMember{std::move(pending_key), std::move(v)});
    return &top->members.back().value;
  };
  bool done = false;
  while (!done) {
    const Tok t = lex.Next();
    JsonValue v;
    switch (t) {
      case Tok::kError:
        *error = lex.error();
        return false;
      case Tok::kEof:
        *error = "empty input";
        return false;
      case Tok::kFieldName:
        pending_key = std::string(lex.Text());
        continue;
      case Tok::kEndObject:
      case Tok::kEndArray:
        stack.pop_back();
        done = stack.empty();
        continue;
      case Tok::kStartObject:
      case Tok::kStartArray:
        v.type = t == Tok::kStartObject ? JsonValue::kObject : JsonValue::kArray;
        stack.push_back(place(std::move(v)));
        continue;
      case Tok::kString:
        v.type = JsonValue::kString;
        v.text = std::string(lex.Text());
        if (lex.current() == Tok::kError) {
          *error = lex.error();
          return false;
        }
        break;
      case Tok::kNumberInt:
      case Tok::kNumberFloat:
        v.type = JsonValue::kNumber;
        v.text = std::string(lex.RawText());
        break;
      case Tok::kTrue: v.type = JsonValue::kTrue; break;
      case Tok::kFalse: v.type = JsonValue::kFalse; break;
      case Tok::kNull: v.type = JsonValue::kNull; break;
      default:
        *error = "unexpected token";
        return false;
    }
    place(std::move(v));
    done = stack.empty();
  }
  if (lex.Next() != Tok::kEof) {
    *error = lex.current() == Tok::kError ? lex.error() : "trailing content after the JSON value";
    return false;
  }
  return true;
}

}  // namespace trailwatch::event
