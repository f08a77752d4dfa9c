// What a failed save says about what it left: "was not saved (no row, no files)" only when that
// is true. When COMMIT fails and undoing the publish fails too, the files stay where they were
// published (or, for a replace, the replaced ones stay staged): the message must send the user
// to `btstore verify` and never claim that no files are left.
#include <gtest/gtest.h>

#include "faults_fixture.h"

namespace btstore::testing {
namespace {

constexpr char kNothingLeft[] = "was not saved (no row, no files)";

class SaveErrorWordingTest : public FaultsFixture {
 protected:
  // The status of a save of `id` (over `before`) whose COMMIT raises, with `faults`.
  Status failed_save(Before before, const std::vector<Fault>& faults, std::string* id) {
    *id = prepare(before);
    install_trigger("COMMIT");
    auto faulty = open_faulty(faults);
    EXPECT_TRUE(faulty);
    auto saved = faulty ? faulty->save_result(new_document(*id), before == Before::kSaved)
                        : Result<std::string>(Status::Internal("no storage"));
    remove_trigger();
    EXPECT_FALSE(saved.ok()) << "the raising COMMIT did not fail the save";
    return saved.status();
  }
};

TEST_F(SaveErrorWordingTest, FailedCommitWhosePublishWasUndoneSaysNothingIsLeft) {
  for (Before before : {Before::kNothing, Before::kRunning}) {
    SCOPED_TRACE(name_of(before));
    std::string id;
    Status st = failed_save(before, {}, &id);
    EXPECT_NE(st.message().find(kNothingLeft), std::string::npos) << st.to_string();
    EXPECT_EQ(entries_of(id), std::set<std::string>{});  // and indeed nothing is
  }
}

TEST_F(SaveErrorWordingTest, FailedUndoOfThePublishNeverSaysNothingIsLeft) {
  for (Before before : kAllBefore) {
    for (Mode mode : {Mode::kFailBefore, Mode::kFailAfter}) {
      SCOPED_TRACE(std::string(name_of(before)) +
                   (mode == Mode::kFailBefore ? ", unpublish fails" : ", unpublish acts, fails"));
      std::string id;
      Status st = failed_save(before, {{Op::kUnpublish, 1, mode}}, &id);
      EXPECT_EQ(st.message().find(kNothingLeft), std::string::npos) << st.to_string();
      EXPECT_NE(st.message().find("undoing the publish of backtests/" + id + "/ failed"),
                std::string::npos)
          << st.to_string();
      EXPECT_NE(st.message().find("btstore verify"), std::string::npos) << st.to_string();
      EXPECT_NE(st.message().find("injected fault"), std::string::npos) << st.to_string();
      if (mode == Mode::kFailBefore) {
        // The files were kept: the published directory (or the replaced one, staged).
        EXPECT_NE(entries_of(id), std::set<std::string>{});
      }
    }
  }
}

}  // namespace
}  // namespace btstore::testing
