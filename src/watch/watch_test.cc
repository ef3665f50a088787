// Tests for the file watcher: paths, the wire format, and a real daemon
// (inotify on a scratch directory) answering what changed since a token:
// writes, touches and new entries by path; replaced, recreated and
// retargeted directories as subtrees; tokens it does not know as
// incomplete; and the same over its socket.

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"
#include "watch/watch_client.h"
#include "watch/watch_daemon.h"
#include "watch/watch_paths.h"
#include "watch/watch_protocol.h"

namespace composer::watch {
namespace {

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(WatchPathsTest, ParentDir) {
  EXPECT_EQ(".", ParentDir("a.o"));
  EXPECT_EQ("out/obj", ParentDir("out/obj/a.o"));
  EXPECT_EQ("/", ParentDir("/usr"));
  EXPECT_EQ("/usr/include", ParentDir("/usr/include/stdio.h"));
  EXPECT_EQ("..", ParentDir("../src"));
  EXPECT_EQ("../..", ParentDir("../../x"));
  EXPECT_EQ("", ParentDir("."));
  EXPECT_EQ("", ParentDir("/"));
  EXPECT_EQ("", ParentDir(".."));
  EXPECT_EQ("", ParentDir("../.."));
}

TEST(WatchPathsTest, JoinPath) {
  EXPECT_EQ("a.o", JoinPath(".", "a.o"));
  EXPECT_EQ("/usr", JoinPath("/", "usr"));
  EXPECT_EQ("../src/a.c", JoinPath("../src", "a.c"));
}

TEST(WatchProtocolTest, RoundTrips) {
  Request request;
  request.since = Token{7, 42};
  request.dirs = {".", "out/obj", ""};
  Request decoded;
  ASSERT_TRUE(DecodeRequest(EncodeRequest(request), &decoded));
  EXPECT_EQ(7u, decoded.since.instance);
  EXPECT_EQ(42u, decoded.since.seq);
  EXPECT_EQ(request.dirs, decoded.dirs);

  Reply reply;
  reply.complete = true;
  reply.token = Token{9, 10};
  reply.changed = {"a", "b/c"};
  reply.subtrees = {"out"};
  reply.text = "hello";
  Reply back;
  ASSERT_TRUE(DecodeReply(EncodeReply(reply), &back));
  EXPECT_TRUE(back.complete);
  EXPECT_EQ(10u, back.token.seq);
  EXPECT_EQ(reply.changed, back.changed);
  EXPECT_EQ(reply.subtrees, back.subtrees);
  EXPECT_EQ("hello", back.text);
}

TEST(WatchProtocolTest, RejectsTruncatedAndTrailingBytes) {
  Reply reply;
  reply.changed = {"some/path"};
  const std::string data = EncodeReply(reply);
  Reply back;
  for (size_t size = 0; size < data.size(); ++size)
    EXPECT_FALSE(DecodeReply(data.substr(0, size), &back)) << size;
  EXPECT_FALSE(DecodeReply(data + "x", &back));
  Request request;
  EXPECT_FALSE(DecodeRequest("Z", &request));
}

// A daemon watching a scratch directory, which is the current directory
// for the test's length (the watcher works relative to it).
class WatchDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(getcwd(saved_cwd_, sizeof saved_cwd_));
    ASSERT_EQ(0, chdir(scratch_.path().c_str()));
    bool running = false;
    std::string err;
    ASSERT_TRUE(daemon_.Start(&running, &err)) << err;
  }
  void TearDown() override { ASSERT_EQ(0, chdir(saved_cwd_)); }

  Reply Query(Token since, std::vector<std::string> dirs = {}) {
    Request request;
    request.since = since;
    request.dirs = std::move(dirs);
    return daemon_.Handle(request);
  }
  // A query from the last token, which it then moves on.
  Reply Next() {
    Reply reply = Query(token_);
    EXPECT_TRUE(reply.complete);
    token_ = reply.token;
    return reply;
  }
  void Begin(std::vector<std::string> dirs) {
    Reply reply = Query(Token{}, std::move(dirs));
    EXPECT_FALSE(reply.complete);
    token_ = reply.token;
  }

  ScratchDir scratch_{"watch"};
  char saved_cwd_[PATH_MAX];
  Daemon daemon_{DaemonOptions{}};
  Token token_;
};

TEST_F(WatchDaemonTest, QuietTreeReportsNothing) {
  ASSERT_EQ(0, mkdir("sub", 0755));
  WriteBytes("sub/a", "a");
  Begin({".", "sub"});
  EXPECT_TRUE(token_.valid());
  const Reply reply = Next();
  EXPECT_TRUE(reply.changed.empty());
  EXPECT_TRUE(reply.subtrees.empty());
}

TEST_F(WatchDaemonTest, ReportsWritesTouchesAndNewEntries) {
  ASSERT_EQ(0, mkdir("sub", 0755));
  WriteBytes("sub/a", "a");
  WriteBytes("top", "t");
  Begin({".", "sub"});

  WriteBytes("sub/a", "changed");
  Reply reply = Next();
  EXPECT_TRUE(Has(reply.changed, "sub/a"));
  EXPECT_FALSE(Has(reply.changed, "top"));

  ASSERT_EQ(0, utimensat(AT_FDCWD, "top", nullptr, 0));  // touch
  reply = Next();
  EXPECT_TRUE(Has(reply.changed, "top"));
  EXPECT_FALSE(Has(reply.changed, "sub/a"));

  WriteBytes("sub/new", "n");
  reply = Next();
  EXPECT_TRUE(Has(reply.changed, "sub/new"));
  EXPECT_TRUE(Has(reply.changed, "sub"));  // the directory's own mtime

  ASSERT_EQ(0, rename("sub/new", "sub/renamed"));
  reply = Next();
  EXPECT_TRUE(Has(reply.changed, "sub/new"));
  EXPECT_TRUE(Has(reply.changed, "sub/renamed"));

  EXPECT_TRUE(Next().changed.empty());
}

TEST_F(WatchDaemonTest, OlderTokensSeeEverythingSince) {
  ASSERT_EQ(0, mkdir("sub", 0755));
  Begin({"sub"});
  const Token old = token_;
  WriteBytes("sub/a", "a");
  Next();
  WriteBytes("sub/b", "b");
  const Reply reply = Query(old);
  EXPECT_TRUE(reply.complete);
  EXPECT_TRUE(Has(reply.changed, "sub/a"));
  EXPECT_TRUE(Has(reply.changed, "sub/b"));
}

TEST_F(WatchDaemonTest, ReplacedDirectoryIsASubtreeAndWatchedAgain) {
  ASSERT_EQ(0, mkdir("sub", 0755));
  WriteBytes("sub/a", "a");
  Begin({"sub"});
  ASSERT_EQ(0, rename("sub", "old"));
  ASSERT_EQ(0, mkdir("sub", 0755));
  WriteBytes("sub/a", "other");
  Reply reply = Next();
  EXPECT_TRUE(Has(reply.subtrees, "sub"));

  // The new directory is the one followed now, not the moved one.
  WriteBytes("sub/b", "b");
  WriteBytes("old/c", "c");
  reply = Next();
  EXPECT_TRUE(Has(reply.changed, "sub/b"));
  EXPECT_FALSE(Has(reply.changed, "sub/c"));
  EXPECT_TRUE(reply.subtrees.empty());
}

TEST_F(WatchDaemonTest, MissingDirectoryIsFollowedOnceCreated) {
  Begin({"out/obj"});
  ASSERT_EQ(0, mkdir("out", 0755));
  ASSERT_EQ(0, mkdir("out/obj", 0755));
  WriteBytes("out/obj/x.o", "x");
  Reply reply = Next();
  EXPECT_TRUE(Has(reply.subtrees, "out") || Has(reply.subtrees, "out/obj"));

  WriteBytes("out/obj/y.o", "y");
  reply = Next();
  EXPECT_TRUE(Has(reply.changed, "out/obj/y.o"));
  EXPECT_TRUE(reply.subtrees.empty());

  // Removed and made again: a subtree again, then followed again.
  ASSERT_EQ(0, system("rm -rf out && mkdir -p out/obj"));
  reply = Next();
  EXPECT_TRUE(Has(reply.subtrees, "out"));
  WriteBytes("out/obj/z.o", "z");
  EXPECT_TRUE(Has(Next().changed, "out/obj/z.o"));
}

TEST_F(WatchDaemonTest, RetargetedSymbolicLinkIsASubtree) {
  ASSERT_EQ(0, mkdir("r1", 0755));
  ASSERT_EQ(0, mkdir("r2", 0755));
  ASSERT_EQ(0, symlink("r1", "lnk"));
  Begin({"lnk"});
  WriteBytes("r1/f", "1");
  EXPECT_TRUE(Has(Next().changed, "lnk/f"));

  ASSERT_EQ(0, unlink("lnk"));
  ASSERT_EQ(0, symlink("r2", "lnk"));
  EXPECT_TRUE(Has(Next().subtrees, "lnk"));
  WriteBytes("r2/g", "2");
  WriteBytes("r1/h", "1");
  const Reply reply = Next();
  EXPECT_TRUE(Has(reply.changed, "lnk/g"));
  EXPECT_FALSE(Has(reply.changed, "lnk/h"));
}

TEST_F(WatchDaemonTest, UnknownTokensAreIncomplete) {
  Begin({"."});
  EXPECT_FALSE(Query(Token{token_.instance + 1, token_.seq}).complete);
  EXPECT_FALSE(Query(Token{token_.instance, token_.seq + 1000}).complete);
  EXPECT_TRUE(Query(token_).complete);
}

TEST_F(WatchDaemonTest, StatusCountsWatchedAndMissingDirectories) {
  Begin({".", "missing/dir"});
  Request status;
  status.kind = Request::Kind::kStatus;
  const std::string text = daemon_.Handle(status).text;
  EXPECT_NE(std::string::npos, text.find("directories watched: 1, missing: 2")) << text;
}

TEST_F(WatchDaemonTest, AnswersOverItsSocketUntilStopped) {
  std::thread server([this] { daemon_.Serve(); });
  Request query;
  query.dirs = {"."};
  Reply reply;
  std::string err;
  EXPECT_EQ(AskResult::kAnswered, AskWatcher(query, &reply, false, 5000, &err)) << err;
  EXPECT_TRUE(reply.token.valid());
  WriteBytes("f", "f");
  query.since = reply.token;
  EXPECT_EQ(AskResult::kAnswered, AskWatcher(query, &reply, false, 5000, &err)) << err;
  EXPECT_TRUE(reply.complete);
  EXPECT_TRUE(Has(reply.changed, "f"));
  Request stop;
  stop.kind = Request::Kind::kStop;
  EXPECT_EQ(AskResult::kAnswered, AskWatcher(stop, &reply, false, 5000, &err)) << err;
  server.join();
  EXPECT_EQ(AskResult::kNoWatcher, AskWatcher(query, &reply, false, 5000, &err));
}

TEST_F(WatchDaemonTest, SecondDaemonForTheSameDirectoryStandsDown) {
  Daemon second{DaemonOptions{}};
  bool running = false;
  std::string err;
  EXPECT_FALSE(second.Start(&running, &err));
  EXPECT_TRUE(running) << err;
}

}  // namespace
}  // namespace composer::watch
