// The command-line program: flags, then a tool or a build.
#pragma once

namespace composer {

int RunComposer(int argc, char** argv);

}  // namespace composer
