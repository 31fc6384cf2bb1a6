#ifndef SKIFF_CSHIMS_H
#define SKIFF_CSHIMS_H
/// Caps glibc's malloc arenas: a server with several threads otherwise keeps one per thread.
void skiff_limit_malloc_arenas(int arenas);
/// Gives the kernel back the pages malloc holds free, in the middle of its heaps too
/// (malloc_trim(0)); glibc by itself returns only the free memory at the top of a heap.
void skiff_return_free_memory(void);
#endif
