#include "gen/task_graph.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace composer {
namespace {

struct Planned {
  Workspace workspace;
  GeneratorConfig config;
  WorkspaceFiles files;
  TaskGraph graph;
  std::string err;

  bool Plan(const std::string& root, const std::vector<std::string>& tasks = {}) {
    if (!LoadWorkspace(root, &workspace, &err)) return false;
    if (!LoadGeneratorConfig("package.json", workspace.root_package, tasks, &config,
                             &err))
      return false;
    if (!ListWorkspaceFiles(workspace, "build.composer", &files, &err)) return false;
    return PlanTasks(workspace, config, files, &graph, &err);
  }
  const Task* Find(const std::string& package, const std::string& task) const {
    for (const Task& t : graph.tasks)
      if (workspace.packages[t.package].name == package && t.name == task) return &t;
    return nullptr;
  }
  std::vector<std::string> Deps(const std::string& package,
                                const std::string& task) const {
    std::vector<std::string> labels;
    const Task* t = Find(package, task);
    if (!t) return {"<no task>"};
    for (int dep : t->dependencies)
      labels.push_back(workspace.packages[graph.tasks[dep].package].name + "#" +
                       graph.tasks[dep].name);
    return labels;
  }
};

// lib (build) <- mid (no build) <- app (build, test); style (lint only).
const std::vector<std::pair<std::string, std::string>> kChain = {
    {"package.json", R"({"workspaces": ["packages/*"]})"},
    {"packages/lib/package.json",
     R"({"name": "lib", "main": "dist/index.js", "scripts": {"build": "tsc"}})"},
    {"packages/lib/tsconfig.json",
     "{\n  // comments are allowed\n  \"compilerOptions\": {\"outDir\": \"./out\"}\n}"},
    {"packages/lib/src/index.ts", "export {}"},
    {"packages/mid/package.json",
     R"({"name": "mid", "dependencies": {"lib": "*"}, "scripts": {"test": "node --test"}})"},
    {"packages/mid/index.js", ""},
    {"packages/app/package.json",
     R"({"name": "app", "dependencies": {"mid": "*"},
         "scripts": {"build": "esbuild src/main.js --outdir=build", "test": "node --test",
                     "start": "node build/main.js"}})"},
    {"packages/app/src/main.js", ""},
    {"packages/style/package.json",
     R"({"name": "style", "scripts": {"lint": "node lint.js"}})"},
    {"packages/style/lint.js", ""},
};

TEST(TaskGraphTest, DefaultsOrderLikeTurbo) {
  ScratchDir dir("gen-plan");
  WriteTree(dir.path(), kChain);
  Planned planned;
  ASSERT_TRUE(planned.Plan(dir.path())) << planned.err;
  // start is not a task; lint exists only in style.
  EXPECT_EQ(5u, planned.graph.tasks.size());
  EXPECT_EQ(nullptr, planned.Find("app", "start"));
  // ^build passes through mid, which has no build script.
  EXPECT_EQ(std::vector<std::string>{"lib#build"}, planned.Deps("app", "build"));
  EXPECT_EQ((std::vector<std::string>{"app#build", "lib#build"}),
            planned.Deps("app", "test"));
  EXPECT_EQ(std::vector<std::string>{"lib#build"}, planned.Deps("mid", "test"));
  EXPECT_TRUE(planned.Deps("lib", "build").empty());
  EXPECT_TRUE(planned.Deps("style", "lint").empty());
}

TEST(TaskGraphTest, GuessedOutputsAndInputs) {
  ScratchDir dir("gen-outputs");
  WriteTree(dir.path(), kChain);
  WriteTree(dir.path(), {{"packages/app/build/old.js", "stale output"}});
  Planned planned;
  ASSERT_TRUE(planned.Plan(dir.path())) << planned.err;
  // tsconfig's outDir; main's dist is only believed with git's word.
  EXPECT_EQ(std::vector<std::string>{"packages/lib/out"},
            planned.Find("lib", "build")->outdirs);
  // Named in the script.
  const Task* app = planned.Find("app", "build");
  EXPECT_EQ(std::vector<std::string>{"packages/app/build"}, app->outdirs);
  // Outputs are not inputs, of any task.
  EXPECT_EQ(
      (std::vector<std::string>{"packages/app/package.json", "packages/app/src/main.js"}),
      app->inputs);
  EXPECT_EQ(app->inputs, planned.Find("app", "test")->inputs);
  EXPECT_TRUE(app->cache);
  EXPECT_TRUE(planned.Find("mid", "test")->cache);
}

TEST(TaskGraphTest, BundlersDefaultOutputs) {
  ScratchDir dir("gen-bundlers");
  WriteTree(
      dir.path(),
      {{"package.json", R"({"workspaces": ["apps/*"]})"},
       {"apps/web/package.json",
        R"({"name": "web", "scripts": {"build": "tsc && vite build"}})"},
       {"apps/cra/package.json",
        R"({"name": "cra", "scripts": {"build": "react-scripts build"}})"},
       {"apps/dev/package.json", R"({"name": "dev", "scripts": {"build": "vite"}})"},
       // A word is not a path: "next build" names no build/ directory.
       {"apps/next/package.json",
        R"({"name": "next", "scripts": {"build": "next build"}})"},
       {"apps/babel/package.json",
        R"({"name": "babel", "scripts": {"build": "rimraf dist && babel src -d lib"}})"},
       {"apps/esb/package.json",
        R"({"name": "esb", "scripts": {"build": "esbuild src/a.ts --outdir=./build"}})"}});
  Planned planned;
  ASSERT_TRUE(planned.Plan(dir.path())) << planned.err;
  EXPECT_EQ(std::vector<std::string>{"apps/web/dist"},
            planned.Find("web", "build")->outdirs);
  EXPECT_EQ(std::vector<std::string>{"apps/cra/build"},
            planned.Find("cra", "build")->outdirs);
  // Not "vite build": nothing known, so not cached.
  EXPECT_TRUE(planned.Find("dev", "build")->outdirs.empty());
  EXPECT_FALSE(planned.Find("dev", "build")->cache);
  EXPECT_TRUE(planned.Find("next", "build")->outdirs.empty());
  EXPECT_EQ((std::vector<std::string>{"apps/babel/dist", "apps/babel/lib"}),
            planned.Find("babel", "build")->outdirs);
  EXPECT_EQ(std::vector<std::string>{"apps/esb/build"},
            planned.Find("esb", "build")->outdirs);
}

TEST(TaskGraphTest, GitTrackedDirectoriesAreSources) {
  ScratchDir dir("gen-git");
  WriteTree(dir.path(),
            {{"package.json", R"({"workspaces": ["packages/*"]})"},
             {".gitignore", "dist/\nignored.txt\n"},
             {"packages/a/package.json",
              R"({"name": "a", "main": "lib/index.js", "types": "dist/index.d.ts",
                  "scripts": {"build": "make"}})"},
             {"packages/a/lib/index.js", "tracked source"},
             {"packages/a/ignored.txt", ""},
             {"packages/a/untracked.js", ""}});
  const std::string git = "git -C " + dir.path();
  ASSERT_EQ(0, system((git + " init -q && " + git +
                       " add package.json .gitignore packages/a/"
                       "package.json packages/a/lib/index.js")
                          .c_str()));
  Planned planned;
  ASSERT_TRUE(planned.Plan(dir.path())) << planned.err;
  EXPECT_TRUE(planned.files.from_git);
  const Task* build = planned.Find("a", "build");
  // dist named by "types" and untracked: an output; lib holds tracked files.
  EXPECT_EQ(std::vector<std::string>{"packages/a/dist"}, build->outdirs);
  // Untracked files count, ignored ones do not.
  EXPECT_EQ(
      (std::vector<std::string>{"packages/a/lib/index.js", "packages/a/package.json",
                                "packages/a/untracked.js"}),
      build->inputs);
}

TEST(TaskGraphTest, ConfiguredTasks) {
  ScratchDir dir("gen-config");
  WriteTree(dir.path(), kChain);
  WriteTree(dir.path(), {{"package.json",
                          R"({"workspaces": ["packages/*"], "composer": {
                    "tasks": {
                      "build": {"outputs": ["dist/**", "stats.json"], "inputs": ["src/**", "!src/**/*.md"]},
                      "test": {"dependsOn": ["lib#build"], "env": ["CI"], "cache": false}
                    },
                    "globalInputs": ["tsconfig.base.json"], "globalEnv": ["NODE_ENV"],
                    "install": false}})"},
                         {"tsconfig.base.json", "{}"},
                         {"packages/app/src/notes.md", ""}});
  Planned planned;
  ASSERT_TRUE(planned.Plan(dir.path())) << planned.err;
  EXPECT_EQ(nullptr, planned.Find("style", "lint"));  // not in the configured list
  const Task* build = planned.Find("app", "build");
  EXPECT_EQ(std::vector<std::string>{"packages/app/dist"}, build->outdirs);
  EXPECT_EQ(std::vector<std::string>{"packages/app/stats.json"}, build->output_files);
  EXPECT_EQ((std::vector<std::string>{"packages/app/package.json",
                                      "packages/app/src/main.js", "tsconfig.base.json"}),
            build->inputs);
  // Configured dependsOn replaces the default (no ^build, no build).
  EXPECT_EQ(std::vector<std::string>{"lib#build"}, planned.Deps("app", "test"));
  EXPECT_FALSE(planned.Find("app", "test")->cache);
  EXPECT_EQ((std::vector<std::string>{"NODE_ENV", "CI"}),
            planned.Find("app", "test")->env);
}

std::string PlanError(const std::string& root_json,
                      const std::vector<std::string>& tasks = {}) {
  ScratchDir dir("gen-plan-error");
  WriteTree(dir.path(), kChain);
  WriteTree(dir.path(), {{"package.json", root_json}});
  Planned planned;
  EXPECT_FALSE(planned.Plan(dir.path(), tasks));
  std::string err = planned.err;
  for (size_t at; (at = err.find(dir.path() + "/")) != std::string::npos;)
    err.erase(at, dir.path().size() + 1);
  return err;
}

TEST(TaskGraphTest, Errors) {
  EXPECT_EQ(
      "package.json: composer.tasks.deploy: no workspace package has a \"deploy\" script",
      PlanError(
          R"({"workspaces": ["packages/*"], "composer": {"tasks": {"deploy": {}}}})"));
  EXPECT_EQ(
      "package.json: composer.tasks.build.dependsOn: no workspace package is named "
      "\"nope\"",
      PlanError(R"({"workspaces": ["packages/*"],
                    "composer": {"tasks": {"build": {"dependsOn": ["nope#build"]}}}})"));
  EXPECT_EQ(
      "package.json: composer.tasks.build.dependsOn: package \"style\" has no \"build\" "
      "script",
      PlanError(R"({"workspaces": ["packages/*"],
                          "composer": {"tasks": {"build": {"dependsOn": ["style#build"]}}}})"));
  EXPECT_EQ(
      "package.json: composer.tasks.test.dependson: unknown setting (known: dependsOn, "
      "inputs, outputs, env, cache)",
      PlanError(R"({"workspaces": ["packages/*"],
                          "composer": {"tasks": {"test": {"dependson": []}}}})"));
  EXPECT_EQ(
      "package.json: composer.tasks.build.outputs: \"dist/*.js\" is not supported: name "
      "a "
      "directory below the package as \"dir/**\", or a file",
      PlanError(R"({"workspaces": ["packages/*"],
                          "composer": {"tasks": {"build": {"outputs": ["dist/*.js"]}}}})"));
  EXPECT_EQ("dependency cycle between tasks: app#build -> app#test -> app#build",
            PlanError(R"({"workspaces": ["packages/*"],
                          "composer": {"tasks": {"build": {"dependsOn": ["test"]},
                                                 "test": {"dependsOn": ["build"]}}}})"));
  EXPECT_EQ(
      "package.json: composer.tasks.deploy: no workspace package has a \"deploy\" script",
      PlanError(R"({"workspaces": ["packages/*"]})", {"build", "deploy"}));
}

}  // namespace
}  // namespace composer
