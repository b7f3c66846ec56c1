// The Anhui index indicators and entry criteria as a table (private): ids, names, maxima, the
// point levels the seed allows and the seed's own scoring text (seed 000 附件3, 附件1).
#pragma once

#include <span>
#include <string_view>

namespace carbonledger::accounting {

struct IndicatorDef {
  std::string_view id;
  std::string_view group;  // a GroupDef id, or "bonus" / "penalty"
  std::string_view name_zh;
  std::string_view name_en;
  int max_points;
  bool computed;                // scored from the inventory, not by the assessor
  std::span<const int> levels;  // assessor indicators: the points the seed allows
  std::string_view seed_rule;   // 评分标准 as printed
};

struct GroupDef {
  std::string_view id;
  std::string_view name_zh;
  std::string_view name_en;
  int max_points;
};

enum class CriterionKind { kComputed, kRate, kFlag };

struct CriterionDef {
  std::string_view id;
  std::string_view clause;
  std::string_view name_zh;
  std::string_view name_en;
  CriterionKind kind;
  int min_percent;  // kRate: the declared percent must be at least this
};

std::span<const IndicatorDef> AnhuiIndicators();
std::span<const GroupDef> AnhuiGroups();
std::span<const CriterionDef> AnhuiEntryCriteria();
const IndicatorDef* FindAnhuiIndicator(std::string_view id);
const CriterionDef* FindAnhuiCriterion(std::string_view id);

}  // namespace carbonledger::accounting
