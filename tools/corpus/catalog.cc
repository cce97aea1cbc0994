// catalog.cc: exposes the generated catalog tables (catalog_data.inc) to the generator.
#include "tools/corpus/catalog.h"

#include <cstring>

namespace trailwatch::corpus {

namespace {
#include "tools/corpus/catalog_data.inc"
}  // namespace

std::span<const CatalogEvent> CatalogEvents() { return kEvents; }
std::span<const CatalogTemplate> CatalogTemplates() { return kTemplates; }
std::span<const CatalogError> CatalogErrors() { return kErrors; }
std::span<const char* const> UserAgents() { return kUserAgents; }

const CatalogEvent* FindCatalogEvent(const char* name) {
  for (const CatalogEvent& e : kEvents) {
    if (std::strcmp(e.name, name) == 0) return &e;
  }
  return nullptr;
}

}  // namespace trailwatch::corpus
