#ifndef SKIFF_CSHIMS_H
#define SKIFF_CSHIMS_H
/// Caps glibc's malloc arenas: a server with several threads otherwise keeps one per thread.
void skiff_limit_malloc_arenas(int arenas);
#endif
