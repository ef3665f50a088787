#include "cli/cli.h"

int main(int argc, char** argv) { return composer::RunComposer(argc, argv); }
