/* output_tree.h: the folders around --out, for output.c: which may be replaced,
 * and removing trees safely.  Every returned string is malloc'd. */
#ifndef PLANSITE_OUTPUT_TREE_H
#define PLANSITE_OUTPUT_TREE_H

#include <dirent.h>
#include <sys/stat.h>

#include "output.h"

/* printf into a new string. */
char *outtree_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* A listing of the open folder fd from its start; closedir() it. */
DIR *outtree_list(int fd);

/* Removes pfd/name (a folder on pfd's file system, or a file) without
 * following links or entering another file system; the marker goes last,
 * so an interrupted removal leaves a folder still marked, or none.
 * Returns 0 (also when it did not exist) or -1 with errno. */
int outtree_rm(int pfd, const char *name);

/* The absolute form of p, whose parent must exist; with follow, links are
 * resolved in the last name too.  NULL when the parent does not exist. */
char *outtree_abs(const char *p, int follow);

int outtree_is_dir_at(int fd, const char *name);    /* not following links */
int outtree_is_file_at(int fd, const char *name);

/* The first mount point in /proc/self/mountinfo at dir or inside it
 * (strictly: inside only), or NULL. */
char *outtree_mount_under(const char *dir, int strictly);

/* Why the folder at absolute path t (shown as `shown`) must not be
 * replaced because of where it is (the root, the current folder, the
 * repository, the content), or NULL. */
char *outtree_refusal(const char *shown, const char *t, const out_guard_t *g);

/* Why the existing folder t (open as fd, its stat st, its parent's device
 * pdev) must not be replaced because of what it is or holds (a mount, a Git
 * repository, files without the marker), or NULL. */
char *outtree_check(const char *shown, const char *t, int fd, const struct stat *st, dev_t pdev);

#endif
