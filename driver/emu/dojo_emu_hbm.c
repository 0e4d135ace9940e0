// SPDX-License-Identifier: GPL-2.0-only
/*
 * HBM of the emulated DIP. The card reports its full HBM size, but host
 * memory backs only the pages that were written with something other than
 * zeroes; unwritten memory reads as zero. Backing is bounded per card
 * (hbm_backing_mb) and for all cards together (a quarter of host RAM), and
 * pages are taken without reclaim from atomic callers, so a busy model runs
 * out of backing (and reports it through the card) before the host runs out
 * of memory.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "dojo_emu.h"

static atomic_long_t dojo_emu_hbm_pages = ATOMIC_LONG_INIT(0);
static unsigned long dojo_emu_hbm_limit;

void dojo_emu_hbm_limit_init(void)
{
	dojo_emu_hbm_limit = totalram_pages() / 4;
}

/* Backing pages held by all cards; zero once every card is gone. */
long dojo_emu_hbm_total_pages(void)
{
	return atomic_long_read(&dojo_emu_hbm_pages);
}

void dojo_emu_hbm_init(struct dojo_emu_hbm *hbm, u64 size,
		       unsigned long max_pages)
{
	xa_init_flags(&hbm->pages, XA_FLAGS_LOCK_IRQ);
	hbm->size = size;
	hbm->max_pages = min_t(u64, max_pages, size >> PAGE_SHIFT);
	atomic_long_set(&hbm->nr_pages, 0);
}

void dojo_emu_hbm_fini(struct dojo_emu_hbm *hbm)
{
	struct page *page;
	unsigned long idx;

	xa_for_each(&hbm->pages, idx, page) {
		__free_page(page);
		atomic_long_dec(&hbm->nr_pages);
		atomic_long_dec(&dojo_emu_hbm_pages);
	}
	xa_destroy(&hbm->pages);
}

static bool dojo_emu_hbm_charge(struct dojo_emu_hbm *hbm)
{
	if (atomic_long_inc_return(&hbm->nr_pages) > hbm->max_pages)
		goto undo_card;
	if (atomic_long_inc_return(&dojo_emu_hbm_pages) > dojo_emu_hbm_limit)
		goto undo_all;
	return true;

undo_all:
	atomic_long_dec(&dojo_emu_hbm_pages);
undo_card:
	atomic_long_dec(&hbm->nr_pages);
	return false;
}

static void dojo_emu_hbm_uncharge(struct dojo_emu_hbm *hbm)
{
	atomic_long_dec(&dojo_emu_hbm_pages);
	atomic_long_dec(&hbm->nr_pages);
}

/* Back HBM page @idx, or find the page a concurrent writer installed. */
static struct page *dojo_emu_hbm_back(struct dojo_emu_hbm *hbm,
				      unsigned long idx, gfp_t gfp)
{
	struct page *page, *old;
	unsigned long flags;

	if (!dojo_emu_hbm_charge(hbm))
		return ERR_PTR(-ENOSPC);

	page = alloc_page(gfp | __GFP_ZERO | __GFP_NOWARN);
	if (!page) {
		dojo_emu_hbm_uncharge(hbm);
		return ERR_PTR(-ENOMEM);
	}

	if (gfpflags_allow_blocking(gfp)) {
		old = xa_cmpxchg_irq(&hbm->pages, idx, NULL, page, gfp);
	} else {
		xa_lock_irqsave(&hbm->pages, flags);
		old = __xa_cmpxchg(&hbm->pages, idx, NULL, page, gfp);
		xa_unlock_irqrestore(&hbm->pages, flags);
	}
	if (!old)
		return page;

	__free_page(page);
	dojo_emu_hbm_uncharge(hbm);
	if (xa_is_err(old))
		return ERR_PTR(xa_err(old));
	return old;
}

static int dojo_emu_hbm_check(struct dojo_emu_hbm *hbm, u64 addr, size_t len)
{
	if (addr > hbm->size || len > hbm->size - addr)
		return -ERANGE;
	return 0;
}

/**
 * dojo_emu_hbm_read - load a byte range of HBM
 * @hbm: the card's HBM
 * @addr: HBM byte address
 * @buf: destination
 * @len: bytes to load
 *
 * Any context. Unwritten memory reads as zero.
 *
 * Return: 0, or -ERANGE if the range is not inside HBM.
 */
int dojo_emu_hbm_read(struct dojo_emu_hbm *hbm, u64 addr, void *buf,
		      size_t len)
{
	int ret = dojo_emu_hbm_check(hbm, addr, len);

	if (ret)
		return ret;

	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = xa_load(&hbm->pages, addr >> PAGE_SHIFT);

		if (page)
			memcpy_from_page(buf, page, off, n);
		else
			memset(buf, 0, n);
		buf += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/**
 * dojo_emu_hbm_write - store a byte range to HBM
 * @hbm: the card's HBM
 * @addr: HBM byte address
 * @buf: source
 * @len: bytes to store
 * @gfp: how to allocate backing; GFP_NOWAIT from atomic context
 *
 * A failed store may have written a prefix of the range, as an aborted
 * transfer on the card would.
 *
 * Return: 0; -ERANGE if the range is not inside HBM; -ENOSPC if the card's
 * backing bound is reached; -ENOMEM if the host had no page to spare.
 */
int dojo_emu_hbm_write(struct dojo_emu_hbm *hbm, u64 addr, const void *buf,
		       size_t len, gfp_t gfp)
{
	int ret = dojo_emu_hbm_check(hbm, addr, len);

	if (ret)
		return ret;

	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		unsigned long idx = addr >> PAGE_SHIFT;
		struct page *page = xa_load(&hbm->pages, idx);

		if (!page && memchr_inv(buf, 0, n)) {
			page = dojo_emu_hbm_back(hbm, idx, gfp);
			if (IS_ERR(page))
				return PTR_ERR(page);
		}
		if (page)
			memcpy_to_page(page, off, buf, n);
		buf += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/**
 * dojo_emu_hbm_zero - clear a byte range of HBM
 * @hbm: the card's HBM
 * @addr: HBM byte address
 * @len: bytes to clear
 *
 * Clears the backed pages of the range; the others already read as zero.
 * Backing stays (an engine of another queue may have the page mapped), so
 * clearing never fails for want of memory, and costs what the range holds,
 * not its size, as a card clears HBM at HBM speed.
 *
 * Return: 0, or -ERANGE if the range is not inside HBM.
 */
int dojo_emu_hbm_zero(struct dojo_emu_hbm *hbm, u64 addr, u64 len)
{
	int ret = dojo_emu_hbm_check(hbm, addr, len);
	struct page *page;
	unsigned long idx;
	u64 end = addr + len;

	if (ret || !len)
		return ret;

	xa_for_each_range(&hbm->pages, idx, page, addr >> PAGE_SHIFT,
			  (end - 1) >> PAGE_SHIFT) {
		u64 first = max_t(u64, addr, (u64)idx << PAGE_SHIFT);
		u64 last = min_t(u64, end, ((u64)idx + 1) << PAGE_SHIFT);

		memzero_page(page, offset_in_page(first), last - first);
	}
	return 0;
}

/*
 * Map the HBM page holding @addr for reading, without a copy: the zero page
 * where HBM was never written. Undo with kunmap_local(). Backing pages are
 * freed only with the card, after its DMA engines have stopped.
 */
const u8 *dojo_emu_hbm_map(struct dojo_emu_hbm *hbm, u64 addr)
{
	struct page *page = xa_load(&hbm->pages, addr >> PAGE_SHIFT);

	if (!page)
		page = ZERO_PAGE(0);
	return (const u8 *)kmap_local_page(page) + offset_in_page(addr);
}

/**
 * dojo_emu_hbm_discard - give up the backing of whole pages of a range
 * @hbm: the memory
 * @addr: byte address, page aligned
 * @len: bytes, a multiple of the page size
 *
 * The range reads zero afterwards and costs no host memory. Only for a
 * range no engine is moving data to or from (a freed tile buffer).
 *
 * Return: 0, or -ERANGE if the range is not inside @hbm or not whole pages.
 */
int dojo_emu_hbm_discard(struct dojo_emu_hbm *hbm, u64 addr, u64 len)
{
	int ret = dojo_emu_hbm_check(hbm, addr, len);
	struct page *page;
	unsigned long idx;

	if (ret || !len)
		return ret;
	if (!PAGE_ALIGNED(addr) || !PAGE_ALIGNED(len))
		return -ERANGE;

	xa_for_each_range(&hbm->pages, idx, page, addr >> PAGE_SHIFT,
			  (addr + len - 1) >> PAGE_SHIFT) {
		xa_erase_irq(&hbm->pages, idx);
		__free_page(page);
		dojo_emu_hbm_uncharge(hbm);
	}
	return 0;
}
