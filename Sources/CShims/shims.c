#include "CShims.h"
#include <malloc.h>

void skiff_limit_malloc_arenas(int arenas) {
    mallopt(M_ARENA_MAX, arenas);
}
