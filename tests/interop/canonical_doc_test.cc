// The comparison tools of the interop tests must catch what they exist to
// catch: a sign of zero, a microsecond, a null, a type name.
#include "canonical_doc.h"

#include <gtest/gtest.h>

#include "conformance_compare.h"
#include "model/result.h"
#include "model/schema.h"

namespace btstore::interop {
namespace {

model::BacktestResult one_curve_row(double equity, int64_t micros) {
  model::BacktestResult r;
  r.curve.symbol.push("BTC/USDT");
  r.curve.idx.push(7);
  r.curve.timestamp.push(micros);
  r.curve.equity.push(equity);
  r.curve.drawdown.push_null();
  r.curve.cumulative_pnl.push(5e-324);
  r.curve.cumulative_pnl_pct.push(-1e308);
  return r;
}

constexpr char kCurveSchema[] =
    R"({"schema":[{"name":"symbol","type":"string"},{"name":"idx","type":"int32"},)"
    R"({"name":"timestamp","type":"timestamp[us]"},{"name":"equity","type":"double"},)"
    R"({"name":"drawdown","type":"double"},{"name":"cumulative_pnl","type":"double"},)"
    R"({"name":"cumulative_pnl_pct","type":"double"}],)";

std::vector<std::string> compare_curve(const std::string& rows, const model::BacktestResult& r) {
  std::vector<Document> docs = parse_documents(std::string(kCurveSchema) + rows + "}");
  EXPECT_EQ(docs.size(), 1u);
  return compare_with_table(docs.at(0), model::view(r, model::TableKind::kCurve));
}

TEST(CanonicalDoc, ParsesJsonLinesWithErrorLines) {
  auto docs = parse_documents(
      "{\"schema\":[{\"name\":\"a\",\"type\":\"int64\"}],\"rows\":[[\"-9\"],[null],[true],[3]]}\n"
      "{\"error\":\"x.parquet: boom\"}\n");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].schema.at(0).type, "int64");
  ASSERT_EQ(docs[0].rows.size(), 4u);
  EXPECT_EQ(docs[0].rows[0][0], Cell(std::string("-9")));
  EXPECT_EQ(docs[0].rows[1][0], Cell(std::monostate{}));
  EXPECT_EQ(docs[0].rows[2][0], Cell(true));
  EXPECT_EQ(docs[0].rows[3][0], Cell(int64_t{3}));
  EXPECT_EQ(docs[1].error, "x.parquet: boom");
}

TEST(CanonicalDoc, MarksAnUnparsableLine) {
  auto docs = parse_documents("{\"schema\":[\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_NE(docs[0].error.find("unparsable"), std::string::npos);
}

TEST(CanonicalDoc, EqualTableHasNoProblems) {
  auto r = one_curve_row(-0.0, -1);
  EXPECT_TRUE(
      compare_curve(R"("rows":[["BTC/USDT",7,"-1","-0",null,"5e-324","-1e+308"]])", r).empty());
}

TEST(CanonicalDoc, PositiveZeroDiffersFromNegativeZero) {
  auto r = one_curve_row(-0.0, 0);
  EXPECT_EQ(compare_curve(R"("rows":[["BTC/USDT",7,"0","0",null,"5e-324","-1e+308"]])", r).size(),
            1u);
}

TEST(CanonicalDoc, OneMicrosecondOffIsAProblem) {
  auto r = one_curve_row(1.5, 1'000'000);
  EXPECT_EQ(
      compare_curve(R"("rows":[["BTC/USDT",7,"1000001","1.5",null,"5e-324","-1e+308"]])", r).size(),
      1u);
}

TEST(CanonicalDoc, ValueWhereNullExpectedIsAProblem) {
  auto r = one_curve_row(1.5, 0);
  EXPECT_EQ(compare_curve(R"("rows":[["BTC/USDT",7,"0","1.5","0","5e-324","-1e+308"]])", r).size(),
            1u);
}

TEST(CanonicalDoc, WrongTypeNameIsAProblem) {
  auto r = one_curve_row(1.5, 0);
  std::string doc = kCurveSchema;
  doc.replace(doc.find("timestamp[us]"), 13, "timestamp[ms]");
  auto docs =
      parse_documents(doc + R"("rows":[["BTC/USDT",7,"0","1.5",null,"5e-324","-1e+308"]]})");
  auto problems = compare_with_table(docs.at(0), model::view(r, model::TableKind::kCurve));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("timestamp[ms]"), std::string::npos);
}

Document doc_of(const std::string& type, const std::string& cells) {
  auto docs = parse_documents(R"({"schema":[{"name":"c","type":")" + type + R"("}],"rows":[)" +
                              cells + "]}");
  return docs.at(0);
}

TEST(ConformanceCompare, MillisecondsMatchDuckdbMicroseconds) {
  auto cmp = compare_documents(doc_of("timestamp[ms]", R"(["-5"],[null])"),
                               doc_of("timestamp[us]", R"(["-5000"],[null])"));
  EXPECT_TRUE(cmp.problems.empty());
  EXPECT_EQ(cmp.compared_columns, 1u);
}

TEST(ConformanceCompare, NanosecondsAreFlooredToDuckdbMicroseconds) {
  auto ok = compare_documents(doc_of("timestamp[ns]", R"(["-1500"])"),
                              doc_of("timestamp[us]", R"(["-2"])"));
  EXPECT_TRUE(ok.problems.empty());
  auto off = compare_documents(doc_of("timestamp[ns]", R"(["-1500"])"),
                               doc_of("timestamp[us]", R"(["-1"])"));
  EXPECT_EQ(off.problems.size(), 1u);
}

TEST(ConformanceCompare, Int96BeyondDuckdbRangeIsExcludedNotCompared) {
  auto cmp = compare_documents(doc_of("timestamp[ns]", R"(["-9357363680509551616000"])"),
                               doc_of("timestamp[us]", R"(["-7207070780300583936"])"));
  EXPECT_TRUE(cmp.problems.empty());
  EXPECT_EQ(cmp.exclusions.size(), 1u);
}

TEST(ConformanceCompare, DoublesCompareByBitsAndNanEqualsNan) {
  EXPECT_TRUE(compare_documents(doc_of("double", R"(["NaN"],["1e-07"])"),
                                doc_of("double", R"(["NaN"],["1e-7"])"))
                  .problems.empty());
  EXPECT_EQ(compare_documents(doc_of("double", R"(["-0"])"), doc_of("double", R"(["0"])"))
                .problems.size(),
            1u);
}

TEST(ConformanceCompare, UnmappedTypesAreListedAsExclusions) {
  auto cmp = compare_documents(doc_of("time32[ms]", "[1]"), doc_of("time", R"(["00:00:00.001"])"));
  EXPECT_TRUE(cmp.problems.empty());
  EXPECT_EQ(cmp.compared_columns, 0u);
  EXPECT_EQ(cmp.exclusions.size(), 1u);
}

TEST(ConformanceCompare, DifferentRowCountsAreAProblem) {
  auto cmp = compare_documents(doc_of("int32", "[1],[2]"), doc_of("int32", "[1]"));
  EXPECT_EQ(cmp.problems.size(), 1u);
}

}  // namespace
}  // namespace btstore::interop
