/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * b98749cac4a695f084a5ff076f4510b23e353ecd "CIFS: keep FileInfo handle
 * live during oplock break", fs/cifs/misc.c is_valid_oplock_break() (and
 * the SMB2 lease-break twin), fs/cifs/file.c cifs_oplock_break() and
 * cifsFileInfo_put().  The oplock-break handler is queued on the file
 * handle's own work item with no reference on the handle: while it writes
 * back dirty pages the last user can close the handle and free it under
 * the worker (oopses in smb2_push_mandatory_locks, xfstest 464).  The fix
 * adds cifs_queue_oplock_break(), which takes a reference each time the
 * handler is queued, and a put (that does not wait for the handler
 * itself) at the end of the handler.  The handle's count written here
 * with struct kref.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct workqueue_struct;
extern struct workqueue_struct *cifsoplockd_wq;
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);

struct cifs_tcon { spinlock_t open_file_lock; struct list_head openFileList; };
struct cifsInodeInfo { unsigned long flags; };
struct cifsFileInfo {
	struct kref count;
	struct list_head tlist;		/* on tcon->openFileList */
	struct cifs_tcon *tcon;
	struct cifsInodeInfo *cinode;
	unsigned short netfid;
	int oplock_level;
	bool oplock_break_cancelled;
	struct work_struct oplock_break;
};

/* Write back and invalidate the inode's pages; push cached byte-range locks. */
int cifs_flush_cached_pages(struct cifsInodeInfo *cinode);
int cifs_push_locks(struct cifsFileInfo *cfile);
/* Sends the oplock break acknowledgement for the handle's fid. */
int cifs_oplock_response(struct cifs_tcon *tcon, unsigned short netfid, struct cifsInodeInfo *cinode);
void cifs_done_oplock_break(struct cifsInodeInfo *cinode);
/* Cancels a pending oplock break (unless called from it), closes the fid
 * on the server and frees the handle. */
void cifs_close_and_free(struct cifsFileInfo *cifs_file);

/* Called with tcon->open_file_lock held (kref_put_lock); drops it. */
static void cifsFileInfo_release(struct kref *kref)
{
	struct cifsFileInfo *cifs_file = container_of(kref, struct cifsFileInfo, count);

	list_del(&cifs_file->tlist);
	spin_unlock(&cifs_file->tcon->open_file_lock);
	cifs_close_and_free(cifs_file);
}

void cifsFileInfo_put(struct cifsFileInfo *cifs_file)
{
	kref_put_lock(&cifs_file->count, cifsFileInfo_release, &cifs_file->tcon->open_file_lock);
}

void cifs_oplock_break(struct work_struct *work)
{
	struct cifsFileInfo *cfile = container_of(work, struct cifsFileInfo, oplock_break);
	struct cifsInodeInfo *cinode = cfile->cinode;

	cifs_flush_cached_pages(cinode);
	cifs_push_locks(cfile);
	if (!cfile->oplock_break_cancelled)
		cifs_oplock_response(cfile->tcon, cfile->netfid, cinode);
	cifs_done_oplock_break(cinode);
}

/* Demultiplex thread: an oplock break request arrived from the server. */
bool is_valid_oplock_break(struct cifs_tcon *tcon, unsigned short fid, int level)
{
	struct cifsFileInfo *netfile;

	spin_lock(&tcon->open_file_lock);
	list_for_each_entry(netfile, &tcon->openFileList, tlist) {
		if (fid != netfile->netfid)
			continue;
		netfile->oplock_level = level;
		netfile->oplock_break_cancelled = false;
		queue_work(cifsoplockd_wq, &netfile->oplock_break);	/* expect: rule 1 */
		spin_unlock(&tcon->open_file_lock);
		return true;
	}
	spin_unlock(&tcon->open_file_lock);
	return false;
}
