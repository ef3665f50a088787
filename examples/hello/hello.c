#include <stdio.h>

#include "greeting.h"

int main(void) {
  printf("%s\n", greeting());
  return 0;
}
