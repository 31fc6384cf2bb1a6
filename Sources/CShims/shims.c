#include "CShims.h"
#include <malloc.h>

void skiff_limit_malloc_arenas(int arenas) {
    mallopt(M_ARENA_MAX, arenas);
}

void skiff_return_free_memory(void) {
    malloc_trim(0);
}
