#include "gen/npm_generator.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace composer {
namespace {

const std::vector<std::pair<std::string, std::string>> kWorkspace = {
    {"package.json", R"({"name": "root", "workspaces": ["packages/*"]})"},
    {"package-lock.json", "{}"},
    {"packages/lib/package.json",
     R"({"name": "@w/lib", "version": "1.2.3", "scripts": {"build": "tsc --outDir dist"}})"},
    {"packages/lib/src/index.ts", "export const x = 1;"},
    {"packages/app/package.json",
     R"({"name": "@w/app", "dependencies": {"@w/lib": "*"}, "scripts": {"test": "node --test"}})"},
    {"packages/app/my file.js", ""},
};

// The manifest's text with continuation lines joined.
std::string Unwrapped(const std::string& path) {
  std::string text = ReadBytes(path);
  for (size_t at; (at = text.find(" $\n   ")) != std::string::npos;) text.erase(at, 6);
  return text;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

TEST(NpmGeneratorTest, WritesManifestsDeterministically) {
  ScratchDir dir("gen-write");
  WriteTree(dir.path(), kWorkspace);
  NpmGeneratorOptions options;
  options.root = dir.path();
  options.self = "/opt/composer";
  NpmGeneratorReport report;
  std::string err;
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  EXPECT_EQ(2u, report.packages);
  EXPECT_EQ(2u, report.tasks);
  EXPECT_EQ(3u, report.files_written);

  const std::string root = Unwrapped(dir.Path("build.composer"));
  // The install is skipped when npm's own record of it is newer than the
  // lockfile and every package.json.
  EXPECT_NE(
      std::string::npos,
      root.find("command = if [ -e node_modules/.package-lock.json ] && [ -z \"$$(find "
                "$in -newer node_modules/.package-lock.json)\" ]; then echo"));
  EXPECT_NE(std::string::npos, root.find("; else npm ci; fi && touch $out\n"));
  EXPECT_NE(
      std::string::npos,
      root.find("build node_modules/.composer-install: npm_install package-lock.json "
                "package.json packages/app/package.json packages/lib/package.json"));
  EXPECT_NE(std::string::npos, root.find("command = /opt/composer -t npm\n"));
  EXPECT_NE(std::string::npos,
            root.find("subninja .composer/npm/packages/app.composer\n"
                      "subninja .composer/npm/packages/lib.composer\n"));
  EXPECT_NE(std::string::npos, root.find("default build test\n"));

  const std::string lib = Unwrapped(dir.Path(".composer/npm/packages/lib.composer"));
  EXPECT_NE(
      std::string::npos,
      lib.find(
          "build .composer/npm/packages/lib/build.stamp: npm_tree | package-lock.json "
          "packages/lib/package.json packages/lib/src/index.ts || "
          "node_modules/.composer-install\n"));
  EXPECT_NE(std::string::npos, lib.find("  outdirs = packages/lib/dist\n"));
  EXPECT_NE(std::string::npos, lib.find("build @w/lib#build: phony"));
  // The output directory exists before the first build.
  EXPECT_TRUE(IsDirectory(dir.Path("packages/lib/dist")));

  const std::string app = Unwrapped(dir.Path(".composer/npm/packages/app.composer"));
  EXPECT_NE(std::string::npos, app.find("packages/app/my$ file.js"));
  EXPECT_NE(std::string::npos, app.find(".composer/npm/packages/lib/build.stamp || "));
  EXPECT_NE(std::string::npos, app.find("  test = 1\n"));

  EXPECT_EQ(std::string::npos, root.find(dir.path())) << "the text depends on --root";

  // Again (from the root, as the regeneration edge runs it): nothing
  // changes, nothing is written.
  char cwd[4096];
  ASSERT_NE(nullptr, getcwd(cwd, sizeof cwd));
  ASSERT_EQ(0, chdir(dir.path().c_str()));
  options.root = ".";
  const bool again = GenerateNpmBuild(options, &report, &err);
  ASSERT_EQ(0, chdir(cwd));
  options.root = dir.path();
  ASSERT_TRUE(again) << err;
  EXPECT_EQ(0u, report.files_written);
  EXPECT_EQ(root, Unwrapped(dir.Path("build.composer")));

  // A new file changes one subninja; the root is rewritten as well (same
  // bytes), since builds reload the manifest only when the root changed.
  WriteTree(dir.path(), {{"packages/app/new.js", ""}});
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  EXPECT_EQ(2u, report.files_written);
  EXPECT_EQ(root, Unwrapped(dir.Path("build.composer")));
  EXPECT_NE(std::string::npos, Unwrapped(dir.Path(".composer/npm/packages/app.composer"))
                                   .find("packages/app/new.js"));
}

TEST(NpmGeneratorTest, BadInputLeavesTheOldFilesAlone) {
  ScratchDir dir("gen-atomic");
  WriteTree(dir.path(), kWorkspace);
  NpmGeneratorOptions options;
  options.root = dir.path();
  NpmGeneratorReport report;
  std::string err;
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  const std::string before = Unwrapped(dir.Path("build.composer"));
  WriteTree(dir.path(), {{"packages/new/package.json", "{\"name\": \"new\",}"}});
  EXPECT_FALSE(GenerateNpmBuild(options, &report, &err));
  EXPECT_EQ(dir.Path("packages/new/package.json") +
                ":1:16: syntax error while parsing object key - unexpected '}'; expected "
                "string "
                "literal\n{\"name\": \"new\",}\n               ^",
            err);
  EXPECT_EQ(before, Unwrapped(dir.Path("build.composer")));
  EXPECT_EQ("", ReadBytes(dir.Path(".composer/npm/packages/new.composer")));
}

TEST(NpmGeneratorTest, PackageManagerCommands) {
  ScratchDir dir("gen-pnpm-run");
  WriteTree(dir.path(), {{"package.json", "{}"},
                         {"pnpm-workspace.yaml", "packages:\n  - apps/*\n"},
                         {"pnpm-lock.yaml", ""},
                         {"apps/web/package.json",
                          R"({"name": "web", "scripts": {"lint": "eslint ."}})"}});
  NpmGeneratorOptions options;
  options.root = dir.path();
  options.output = "js.composer";
  options.tasks = {"lint"};
  NpmGeneratorReport report;
  std::string err;
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  const std::string root = Unwrapped(dir.Path("js.composer"));
  EXPECT_NE(std::string::npos, root.find("find $in -newer node_modules/.modules.yaml)"));
  EXPECT_NE(std::string::npos,
            root.find("; else pnpm install --frozen-lockfile; fi && touch $out\n"));
  EXPECT_NE(std::string::npos,
            root.find("command = (cd $dir && pnpm run $script) && touch $out"));
  EXPECT_NE(std::string::npos, root.find(" -t npm -o js.composer --tasks lint\n"));
  // The regeneration edge watches pnpm-workspace.yaml and the app's directories.
  EXPECT_NE(std::string::npos, root.find("pnpm-workspace.yaml | apps apps/web\n"));

  // Without an install edge: nothing runs pnpm install, tasks wait for
  // nothing, and regeneration keeps the choice.
  options.install = false;
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  const std::string without = Unwrapped(dir.Path("js.composer"));
  EXPECT_EQ(std::string::npos, without.find("rule npm_install"));
  EXPECT_NE(std::string::npos,
            without.find(" -t npm -o js.composer --no-install --tasks lint\n"));
  EXPECT_EQ(std::string::npos,
            Unwrapped(dir.Path(".composer/npm/apps/web.composer")).find(" || "));

  options.output = "sub/x.composer";
  EXPECT_FALSE(GenerateNpmBuild(options, &report, &err));
  EXPECT_EQ("-o sub/x.composer: name a file in the workspace root (the build runs there)",
            err);
}

}  // namespace
}  // namespace composer
