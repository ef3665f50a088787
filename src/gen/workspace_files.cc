#include "gen/workspace_files.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>

#include "gen/json_file.h"
#include "gen/path_glob.h"
#include "util/escape.h"

namespace composer {

namespace {

bool Excluded(const std::string& path, const std::string& manifest) {
  if (path == manifest || path.rfind(".composer/", 0) == 0 ||
      path.rfind(".git/", 0) == 0 || path.rfind(".composer_", 0) == 0)
    return true;
  // node_modules at any depth.
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "node_modules") == 0) return true;
    start = end + 1;
  }
  return false;
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// `git ls-files -cot --exclude-standard -z`: "H path" for tracked files
// (other letters for tracked ones with special states), "? path" for
// untracked ones. False when root is not in a git work tree.
bool GitFiles(const Workspace& workspace, const std::string& manifest,
              WorkspaceFiles* files) {
  std::string command = "git -C ";
  AppendShellEscaped(workspace.root, &command);
  command += " ls-files -c -o -t -z --exclude-standard 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return false;
  std::string output;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
  files->from_git = true;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\0', start);
    if (end == std::string::npos) end = output.size();
    if (end - start > 2) {
      const char tag = output[start];
      std::string path = output.substr(start + 2, end - start - 2);
      if (!Excluded(path, manifest)) {
        // Tracked but deleted (or a submodule's directory): not a file to read.
        if (IsRegularFile(workspace.Path(path))) {
          if (tag != '?') files->tracked.insert(path);
          files->files.push_back(std::move(path));
        }
      }
    }
    start = end + 1;
  }
  return true;
}

void WalkFiles(const Workspace& workspace, const std::string& dir,
               const std::string& manifest, std::vector<std::string>* out) {
  DIR* handle = opendir(workspace.Path(dir).c_str());
  if (!handle) return;
  std::vector<std::string> names;
  while (const dirent* entry = readdir(handle)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || name == ".git" || name == "node_modules") continue;
    names.push_back(name);
  }
  closedir(handle);
  for (const std::string& name : names) {
    const std::string path = dir.empty() ? name : dir + "/" + name;
    if (Excluded(path, manifest)) continue;
    // Not through symbolic links to directories, which may loop; a link to
    // a file is read like the file.
    struct stat st;
    if (lstat(workspace.Path(path).c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode))
      WalkFiles(workspace, path, manifest, out);
    else if (S_ISREG(st.st_mode) ||
             (S_ISLNK(st.st_mode) && IsRegularFile(workspace.Path(path))))
      out->push_back(path);
  }
}

// Whether `text` holds `phrase` between word boundaries ("vite build").
bool MentionsWords(const std::string& text, const std::string& phrase) {
  auto word_char = [](char c) {
    return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  };
  for (size_t at = text.find(phrase); at != std::string::npos;
       at = text.find(phrase, at + 1)) {
    const size_t end = at + phrase.size();
    if ((at == 0 || !word_char(text[at - 1])) &&
        (end == text.size() || !word_char(text[end])))
      return true;
  }
  return false;
}

// Whether the script names `dir` as a path: "dist/...", "./dist", "=dist",
// or a bare "dist" after an option ("--outDir dist", "rm -rf dist") or a
// file tool ("rimraf dist"). A bare word after anything else is a word
// ("vite build", "npm run build").
bool NamesDirectory(const std::string& script, const std::string& dir) {
  std::vector<std::string> tokens;
  std::string token;
  for (char c : script + " ") {
    if (isspace(static_cast<unsigned char>(c)) || c == ';' || c == '&' || c == '|' ||
        c == '(' || c == ')' || c == '"' || c == '\'') {
      if (!token.empty()) tokens.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  static const char* const kFileTools[] = {"rimraf", "rm",  "mkdir",     "del", "del-cli",
                                           "shx",    "cpx", "copyfiles", "cp",  "mv"};
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string t = tokens[i];
    const size_t equals = t.rfind('=');
    if (equals != std::string::npos) t = t.substr(equals + 1);
    while (t.rfind("./", 0) == 0) t = t.substr(2);
    if (t.rfind(dir + "/", 0) == 0) return true;
    if (t != dir) continue;
    if (t != tokens[i]) return true;  // "./dist", "--outdir=dist"
    if (i == 0) continue;
    const std::string& before = tokens[i - 1];
    if (before[0] == '-') return true;
    for (const char* tool : kFileTools)
      if (before == tool) return true;
  }
  return false;
}

// "./dist/index.js" -> "dist".
std::string FirstSegment(std::string path) {
  while (path.rfind("./", 0) == 0) path = path.substr(2);
  const size_t slash = path.find('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

void EntryPointDirs(const nlohmann::json& value, std::set<std::string>* dirs) {
  if (value.is_string()) {
    const std::string dir = FirstSegment(value.get<std::string>());
    if (!dir.empty()) dirs->insert(dir);
  } else if (value.is_object() || value.is_array()) {
    for (const nlohmann::json& item : value) EntryPointDirs(item, dirs);
  }
}

}  // namespace

bool ListWorkspaceFiles(const Workspace& workspace, const std::string& manifest,
                        WorkspaceFiles* files, std::string* err) {
  (void)err;
  *files = WorkspaceFiles();
  if (!GitFiles(workspace, manifest, files)) {
    *files = WorkspaceFiles();
    WalkFiles(workspace, "", manifest, &files->files);
  }
  std::sort(files->files.begin(), files->files.end());
  files->files.erase(std::unique(files->files.begin(), files->files.end()),
                     files->files.end());
  return true;
}

std::vector<std::string> GuessOutputDirs(const Workspace& workspace,
                                         const Package& package,
                                         const std::string& script,
                                         const WorkspaceFiles& files) {
  std::set<std::string> candidates = {"dist", "build", "lib"};
  std::set<std::string> named;  // what the build's configuration names
  nlohmann::json tsconfig;
  std::string ignored;
  if (ReadJsonFile(workspace.Path(package.dir + "/tsconfig.json"), &tsconfig, &ignored,
                   /*comments=*/true) &&
      tsconfig.is_object()) {
    auto options = tsconfig.find("compilerOptions");
    if (options != tsconfig.end() && options->is_object()) {
      auto out_dir = options->find("outDir");
      if (out_dir != options->end() && out_dir->is_string()) {
        const std::string dir = FirstSegment(out_dir->get<std::string>() + "/");
        if (!dir.empty() && dir != ".." && dir != ".") {
          candidates.insert(dir);
          named.insert(dir);
        }
      }
    }
  }
  // Bundlers that write to a directory of their own by default.
  static const struct {
    const char* command;
    const char* dir;
  } kBundlerDefaults[] = {
      {"vite build", "dist"},   {"tsup", "dist"},
      {"rollup", "dist"},       {"webpack", "dist"},
      {"parcel build", "dist"}, {"astro build", "dist"},
      {"ng build", "dist"},     {"react-scripts build", "build"},
  };
  for (const auto& bundler : kBundlerDefaults)
    if (MentionsWords(script, bundler.command)) named.insert(bundler.dir);
  std::set<std::string> entry_dirs;
  for (const char* field : {"main", "module", "types", "typings", "bin", "exports"}) {
    auto it = package.manifest.find(field);
    if (it != package.manifest.end()) EntryPointDirs(*it, &entry_dirs);
  }
  std::vector<std::string> dirs;
  for (const std::string& dir : candidates) {
    const std::string prefix = package.dir + "/" + dir + "/";
    bool tracked = false;
    if (files.from_git) {
      auto it = files.tracked.lower_bound(prefix);
      tracked = it != files.tracked.end() && it->rfind(prefix, 0) == 0;
    }
    if (tracked) continue;
    const bool mentioned = named.count(dir) || NamesDirectory(script, dir);
    // Entry points name a directory of sources as readily as one of
    // outputs; only git can tell them apart.
    const bool entry = files.from_git && entry_dirs.count(dir);
    if (mentioned || entry) dirs.push_back(dir);
  }
  return dirs;
}

}  // namespace composer
