#include "gen/turbo_config.h"

#include <gtest/gtest.h>

#include "gen/json_file.h"
#include "gen/npm_generator.h"
#include "gen/task_graph.h"
#include "support/scratch_dir.h"

namespace composer {
namespace {

// Shaped like turbo's "basic" example: two Next.js apps, a UI library
// without a build, shared config packages.
const std::vector<std::pair<std::string, std::string>> kTurboWorkspace = {
    {"package.json",
     R"({"name": "basic", "private": true, "workspaces": ["apps/*", "packages/*"],
                        "packageManager": "npm@10.8.2"})"},
    {"turbo.json", R"({
      // turbo.json allows comments
      "$schema": "https://turbo.build/schema.json",
      "ui": "tui",
      "globalDependencies": [".env"],
      "tasks": {
        "build": {"dependsOn": ["^build"], "inputs": ["$TURBO_DEFAULT$", ".env*"],
                  "outputs": [".next/**", "!.next/cache/**", "dist/**/*.js"], "outputLogs": "new-only"},
        "lint": {"dependsOn": ["^lint"], "env": ["CI", "NEXT_PUBLIC_*"]},
        "check-types": {"dependsOn": ["^check-types"]},
        "web#build": {"dependsOn": ["^build"], "env": ["API_URL"]},
        "dev": {"cache": false, "persistent": true}
      }
    })"},
    {".env", "A=1"},
    {"apps/web/package.json",
     R"({"name": "web", "dependencies": {"@repo/ui": "*"},
         "scripts": {"dev": "next dev", "build": "next build", "lint": "next lint",
                     "check-types": "tsc --noEmit"}})"},
    {"apps/web/app/page.tsx", ""},
    {"apps/web/.env.local", ""},
    {"packages/ui/package.json",
     R"({"name": "@repo/ui", "scripts": {"lint": "eslint .", "check-types": "tsc --noEmit"}})"},
    {"packages/ui/src/button.tsx", ""},
};

TEST(TurboConfigTest, ReadsTurboTasks) {
  ScratchDir dir("gen-turbo");
  WriteTree(dir.path(), kTurboWorkspace);
  Workspace workspace;
  GeneratorConfig config;
  WorkspaceFiles files;
  TaskGraph graph;
  std::string err;
  ASSERT_TRUE(LoadWorkspace(dir.path(), &workspace, &err)) << err;
  nlohmann::json turbo;
  ASSERT_TRUE(ReadJsonFile(dir.Path("turbo.json"), &turbo, &err, true)) << err;
  ASSERT_TRUE(LoadTurboConfig("turbo.json", turbo, {}, &config, &err)) << err;
  // (In key order: JSON objects are read as sorted maps.)
  EXPECT_EQ((std::vector<std::string>{"build", "check-types", "lint"}), config.tasks);
  EXPECT_EQ(std::vector<std::string>{"turbo.json"}, config.config_files);
  EXPECT_EQ(std::vector<std::string>{".env"}, config.global_inputs);
  EXPECT_EQ(
      (std::vector<std::string>{
          "turbo.json: tasks.build.outputs: \"dist/**/*.js\" taken as the whole "
          "directory dist",
          "turbo.json: tasks.dev: a persistent task (a server) is not a build step; left "
          "out",
          "turbo.json: tasks.lint.env: \"NEXT_PUBLIC_*\" (a pattern) left out",
          "turbo.json: tasks.web#build: settings for one package (or the root) are not "
          "supported; left out"}),
      config.notes);

  ASSERT_TRUE(ListWorkspaceFiles(workspace, "build.composer", &files, &err)) << err;
  ASSERT_TRUE(PlanTasks(workspace, config, files, &graph, &err)) << err;
  auto find = [&](const std::string& package, const std::string& name) -> const Task* {
    for (const Task& task : graph.tasks)
      if (workspace.packages[task.package].name == package && task.name == name)
        return &task;
    return nullptr;
  };
  // dev is not a task; "^build" finds no build in @repo/ui and nothing below.
  EXPECT_EQ(nullptr, find("web", "dev"));
  const Task* build = find("web", "build");
  ASSERT_NE(nullptr, build);
  EXPECT_TRUE(build->dependencies.empty());
  EXPECT_EQ((std::vector<std::string>{"apps/web/.next", "apps/web/dist"}),
            build->outdirs);
  EXPECT_TRUE(build->cache);
  // $TURBO_DEFAULT$ and .env*: the package's files, and the root's .env.
  EXPECT_EQ((std::vector<std::string>{".env", "apps/web/.env.local",
                                      "apps/web/app/page.tsx", "apps/web/package.json"}),
            build->inputs);
  // "^lint": the UI library's lint first; no default "build" dependency.
  const Task* lint = find("web", "lint");
  ASSERT_EQ(1u, lint->dependencies.size());
  EXPECT_EQ("@repo/ui",
            workspace.packages[graph.tasks[lint->dependencies[0]].package].name);
  EXPECT_EQ(std::vector<std::string>{"CI"}, lint->env);
  EXPECT_TRUE(find("web", "check-types")->cache);
}

TEST(TurboConfigTest, GeneratorPrefersTheComposerSection) {
  ScratchDir dir("gen-turbo-gen");
  WriteTree(dir.path(), kTurboWorkspace);
  NpmGeneratorOptions options;
  options.root = dir.path();
  NpmGeneratorReport report;
  std::string err;
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  EXPECT_EQ(5u, report.tasks);
  EXPECT_EQ(4u, report.notes.size());
  const std::string root = ReadBytes(dir.Path("build.composer"));
  EXPECT_NE(std::string::npos, root.find("build check-types: phony"));
  EXPECT_NE(std::string::npos, root.find(" turbo.json"));  // regeneration reads it

  // A "composer" section wins over turbo.json.
  WriteTree(dir.path(), {{"package.json",
                          R"({"workspaces": ["apps/*", "packages/*"],
                              "composer": {"tasks": {"lint": {}}}})"}});
  ASSERT_TRUE(GenerateNpmBuild(options, &report, &err)) << err;
  EXPECT_EQ(3u, report.tasks);  // two lints, and web's build they wait for
  EXPECT_TRUE(report.notes.empty());

  // A broken turbo.json is an error like a broken package.json.
  WriteTree(dir.path(),
            {{"package.json", R"({"workspaces": ["apps/*", "packages/*"]})"},
             {"turbo.json", "{\"tasks\": {\"build\": {\"outputs\": \"dist\"}}}"}});
  EXPECT_FALSE(GenerateNpmBuild(options, &report, &err));
  EXPECT_EQ(
      dir.Path("turbo.json") + ": tasks.build.outputs: expected an array of strings",
      err);
}

}  // namespace
}  // namespace composer
