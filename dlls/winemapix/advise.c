/*
 * Advise sinks and notification copying helpers
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "winemapix_private.h"
#include "winuser.h"
#include "mapiguid.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

#define ALIGN8(x) (((x) + 7) & ~(ULONG_PTR)7)

/* Notification block layout: the NOTIFICATION array, then every piece of
 * data it points to, each 8-byte aligned.  One walker measures (copy ==
 * FALSE: returns the source pointers and only counts) or copies. */
struct walker
{
    BOOL copy;
    BYTE *cursor;
    ULONG size;
};

static void *blob(struct walker *w, const void *src, ULONG size)
{
    void *ret;

    if (!src) return NULL;
    w->size += ALIGN8(size);
    if (!w->copy) return (void *)src;
    ret = w->cursor;
    memcpy(ret, src, size);
    w->cursor += ALIGN8(size);
    return ret;
}

static SPropValue *blob_props(struct walker *w, const SPropValue *props, ULONG count)
{
    ULONG size;
    void *ret;

    if (!props) return NULL;
    size = props_block_size(props, count);
    w->size += ALIGN8(size);
    if (!w->copy) return (SPropValue *)props;
    ret = w->cursor;
    props_block_copy(ret, props, count);
    w->cursor += ALIGN8(size);
    return ret;
}

static ULONG string_size(const void *str, BOOL unicode)
{
    if (!str) return 0;
    return unicode ? (wcslen(str) + 1) * sizeof(WCHAR) : strlen(str) + 1;
}

static void walk_inline_prop(struct walker *w, SPropValue *dst, const SPropValue *src)
{
    SPropValue *copy = blob_props(w, src, 1);

    if (w->copy) *dst = *copy;
}

static void walk_notification(struct walker *w, NOTIFICATION *dst, const NOTIFICATION *src)
{
    void *p;

    switch (src->ulEventType)
    {
    case fnevCriticalError:
    {
        const MAPIERROR *serr = src->info.err.lpMAPIError;
        BOOL unicode = !!(src->info.err.ulFlags & MAPI_UNICODE);
        MAPIERROR *derr;

        p = blob(w, src->info.err.lpEntryID, src->info.err.cbEntryID);
        if (w->copy) dst->info.err.lpEntryID = p;
        derr = blob(w, serr, sizeof(*serr));
        if (w->copy) dst->info.err.lpMAPIError = derr;
        if (serr)
        {
            p = blob(w, serr->lpszError, string_size(serr->lpszError, unicode));
            if (w->copy) derr->lpszError = p;
            p = blob(w, serr->lpszComponent, string_size(serr->lpszComponent, unicode));
            if (w->copy) derr->lpszComponent = p;
        }
        break;
    }
    case fnevNewMail:
        p = blob(w, src->info.newmail.lpEntryID, src->info.newmail.cbEntryID);
        if (w->copy) dst->info.newmail.lpEntryID = p;
        p = blob(w, src->info.newmail.lpParentID, src->info.newmail.cbParentID);
        if (w->copy) dst->info.newmail.lpParentID = p;
        p = blob(w, src->info.newmail.lpszMessageClass, string_size(src->info.newmail.lpszMessageClass,
                 !!(src->info.newmail.ulFlags & MAPI_UNICODE)));
        if (w->copy) dst->info.newmail.lpszMessageClass = p;
        break;
    case fnevObjectCreated:
    case fnevObjectDeleted:
    case fnevObjectModified:
    case fnevObjectMoved:
    case fnevObjectCopied:
    case fnevSearchComplete:
        p = blob(w, src->info.obj.lpEntryID, src->info.obj.cbEntryID);
        if (w->copy) dst->info.obj.lpEntryID = p;
        p = blob(w, src->info.obj.lpParentID, src->info.obj.cbParentID);
        if (w->copy) dst->info.obj.lpParentID = p;
        p = blob(w, src->info.obj.lpOldID, src->info.obj.cbOldID);
        if (w->copy) dst->info.obj.lpOldID = p;
        p = blob(w, src->info.obj.lpOldParentID, src->info.obj.cbOldParentID);
        if (w->copy) dst->info.obj.lpOldParentID = p;
        if (src->info.obj.lpPropTagArray)
        {
            p = blob(w, src->info.obj.lpPropTagArray, CbSPropTagArray(src->info.obj.lpPropTagArray));
            if (w->copy) dst->info.obj.lpPropTagArray = p;
        }
        break;
    case fnevTableModified:
        walk_inline_prop(w, &dst->info.tab.propIndex, &src->info.tab.propIndex);
        walk_inline_prop(w, &dst->info.tab.propPrior, &src->info.tab.propPrior);
        p = blob_props(w, src->info.tab.row.lpProps, src->info.tab.row.cValues);
        if (w->copy) dst->info.tab.row.lpProps = p;
        break;
    case fnevExtended:
        p = blob(w, src->info.ext.pbEventParameters, src->info.ext.cb);
        if (w->copy) dst->info.ext.pbEventParameters = p;
        break;
    case fnevStatusObjectModified:
        p = blob(w, src->info.statobj.lpEntryID, src->info.statobj.cbEntryID);
        if (w->copy) dst->info.statobj.lpEntryID = p;
        p = blob_props(w, src->info.statobj.lpPropVals, src->info.statobj.cValues);
        if (w->copy) dst->info.statobj.lpPropVals = p;
        break;
    default:
        break;
    }
}

static SCODE walk_notifications(int count, const NOTIFICATION *notifs, void *dst, ULONG *size)
{
    struct walker w;
    int i;

    if (count < 0 || (count && !notifs)) return MAPI_E_INVALID_PARAMETER;
    w.copy = dst != NULL;
    w.size = ALIGN8(count * sizeof(NOTIFICATION));
    w.cursor = (BYTE *)dst + w.size;
    if (dst) memcpy(dst, notifs, count * sizeof(NOTIFICATION));
    for (i = 0; i < count; i++)
        walk_notification(&w, dst ? &((NOTIFICATION *)dst)[i] : NULL, &notifs[i]);
    if (size) *size = w.size;
    return S_OK;
}

/*************************************************************************
 * ScCountNotifications (winemapix.@)
 *
 * Bytes ScCopyNotifications needs for these notifications.
 */
SCODE WINAPI ScCountNotifications(int count, LPNOTIFICATION notifs, ULONG *size)
{
    TRACE("%d, %p, %p.\n", count, notifs, size);

    return walk_notifications(count, notifs, NULL, size);
}

/*************************************************************************
 * ScCopyNotifications (winemapix.@)
 *
 * Copies notifications and all their data into one caller buffer.
 */
SCODE WINAPI ScCopyNotifications(int count, LPNOTIFICATION notifs, void *dst, ULONG *size)
{
    TRACE("%d, %p, %p, %p.\n", count, notifs, dst, size);

    if (!dst) return MAPI_E_INVALID_PARAMETER;
    return walk_notifications(count, notifs, dst, size);
}

static void reloc(void *ptr, const BYTE *old_base, BYTE *new_base)
{
    BYTE **p = ptr;

    if (*p) *p = new_base + (*p - old_base);
}

static void reloc_props(SPropValue *props, ULONG count, const BYTE *old_base, BYTE *new_base)
{
    ULONG i, j;

    for (i = 0; i < count; i++)
    {
        SPropValue *v = &props[i];

        switch (PROP_TYPE(v->ulPropTag))
        {
        case PT_STRING8: case PT_UNICODE: case PT_CLSID:
            reloc(&v->Value.lpszA, old_base, new_base);
            break;
        case PT_BINARY:
            reloc(&v->Value.bin.lpb, old_base, new_base);
            break;
        case PT_MV_I2: case PT_MV_LONG: case PT_MV_R4: case PT_MV_DOUBLE: case PT_MV_APPTIME:
        case PT_MV_CURRENCY: case PT_MV_SYSTIME: case PT_MV_I8: case PT_MV_CLSID:
            /* every MV array has the same count-then-pointer layout */
            reloc(&v->Value.MVl.lpl, old_base, new_base);
            break;
        case PT_MV_STRING8: case PT_MV_UNICODE:
            reloc(&v->Value.MVszA.lppszA, old_base, new_base);
            for (j = 0; j < v->Value.MVszA.cValues; j++) reloc(&v->Value.MVszA.lppszA[j], old_base, new_base);
            break;
        case PT_MV_BINARY:
            reloc(&v->Value.MVbin.lpbin, old_base, new_base);
            for (j = 0; j < v->Value.MVbin.cValues; j++) reloc(&v->Value.MVbin.lpbin[j].lpb, old_base, new_base);
            break;
        }
    }
}

/*************************************************************************
 * ScRelocNotifications (winemapix.@)
 *
 * Rebases the pointers of a block made by ScCopyNotifications after the
 * block moved from old_base to new_base.
 */
SCODE WINAPI ScRelocNotifications(int count, LPNOTIFICATION notifs, void *old_base, void *new_base, ULONG *size)
{
    int i;

    TRACE("%d, %p, %p, %p, %p.\n", count, notifs, old_base, new_base, size);

    if (count < 0 || (count && !notifs) || !old_base || !new_base) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++)
    {
        NOTIFICATION *n = &notifs[i];

        switch (n->ulEventType)
        {
        case fnevCriticalError:
            reloc(&n->info.err.lpEntryID, old_base, new_base);
            reloc(&n->info.err.lpMAPIError, old_base, new_base);
            if (n->info.err.lpMAPIError)
            {
                reloc(&n->info.err.lpMAPIError->lpszError, old_base, new_base);
                reloc(&n->info.err.lpMAPIError->lpszComponent, old_base, new_base);
            }
            break;
        case fnevNewMail:
            reloc(&n->info.newmail.lpEntryID, old_base, new_base);
            reloc(&n->info.newmail.lpParentID, old_base, new_base);
            reloc(&n->info.newmail.lpszMessageClass, old_base, new_base);
            break;
        case fnevObjectCreated:
        case fnevObjectDeleted:
        case fnevObjectModified:
        case fnevObjectMoved:
        case fnevObjectCopied:
        case fnevSearchComplete:
            reloc(&n->info.obj.lpEntryID, old_base, new_base);
            reloc(&n->info.obj.lpParentID, old_base, new_base);
            reloc(&n->info.obj.lpOldID, old_base, new_base);
            reloc(&n->info.obj.lpOldParentID, old_base, new_base);
            reloc(&n->info.obj.lpPropTagArray, old_base, new_base);
            break;
        case fnevTableModified:
            reloc_props(&n->info.tab.propIndex, 1, old_base, new_base);
            reloc_props(&n->info.tab.propPrior, 1, old_base, new_base);
            reloc(&n->info.tab.row.lpProps, old_base, new_base);
            if (n->info.tab.row.lpProps) reloc_props(n->info.tab.row.lpProps, n->info.tab.row.cValues, old_base, new_base);
            break;
        case fnevExtended:
            reloc(&n->info.ext.pbEventParameters, old_base, new_base);
            break;
        case fnevStatusObjectModified:
            reloc(&n->info.statobj.lpEntryID, old_base, new_base);
            reloc(&n->info.statobj.lpPropVals, old_base, new_base);
            if (n->info.statobj.lpPropVals)
                reloc_props(n->info.statobj.lpPropVals, n->info.statobj.cValues, old_base, new_base);
            break;
        }
    }
    /* the pointers are valid now, so the size can be measured from them */
    if (size) walk_notifications(count, notifs, NULL, size);
    return S_OK;
}

/* HrAllocAdviseSink: a sink that forwards to a NOTIFCALLBACK */

struct callback_sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    NOTIFCALLBACK *callback;
    void *context;
};

static inline struct callback_sink *impl_from_callback_IMAPIAdviseSink(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct callback_sink, IMAPIAdviseSink_iface);
}

static HRESULT WINAPI sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **out)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), out);

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIAdviseSink))
    {
        *out = iface;
        IMAPIAdviseSink_AddRef(iface);
        return S_OK;
    }
    WARN("Unsupported %s.\n", debugstr_guid(riid));
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI callback_sink_AddRef(IMAPIAdviseSink *iface)
{
    struct callback_sink *sink = impl_from_callback_IMAPIAdviseSink(iface);
    ULONG refcount = InterlockedIncrement(&sink->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI callback_sink_Release(IMAPIAdviseSink *iface)
{
    struct callback_sink *sink = impl_from_callback_IMAPIAdviseSink(iface);
    ULONG refcount = InterlockedDecrement(&sink->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    if (!refcount) free(sink);
    return refcount;
}

static HRESULT WINAPI callback_sink_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifs)
{
    struct callback_sink *sink = impl_from_callback_IMAPIAdviseSink(iface);

    TRACE("%p, %lu, %p.\n", iface, count, notifs);

    /* the callback's return value is for MAPI's own dispatcher; OnNotify returns 0 */
    sink->callback(sink->context, count, notifs);
    return 0;
}

static const IMAPIAdviseSinkVtbl callback_sink_vtbl =
{
    sink_QueryInterface,
    callback_sink_AddRef,
    callback_sink_Release,
    callback_sink_OnNotify,
};

/*************************************************************************
 * HrAllocAdviseSink (winemapix.@)
 *
 * Creates an advise sink that calls a NOTIFCALLBACK.
 */
HRESULT WINAPI HrAllocAdviseSink(LPNOTIFCALLBACK callback, void *context, LPMAPIADVISESINK *out)
{
    struct callback_sink *sink;

    TRACE("%p, %p, %p.\n", callback, context, out);

    if (!callback || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!(sink = malloc(sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    sink->IMAPIAdviseSink_iface.lpVtbl = &callback_sink_vtbl;
    sink->refcount = 1;
    sink->callback = callback;
    sink->context = context;
    *out = &sink->IMAPIAdviseSink_iface;
    return S_OK;
}

/* HrThisThreadAdviseSink: a sink that hands notifications to the thread
 * that created it, through a hidden message-only window of that thread. */

#define WM_MAPIX_NOTIFY (WM_USER + 0x4d)

struct thread_sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    IMAPIAdviseSink *inner;
    DWORD thread_id;
    HWND hwnd;
};

struct posted_notifications
{
    struct thread_sink *sink;
    ULONG count;
    NOTIFICATION *notifs;   /* block made by ScCopyNotifications */
};

static DWORD notify_window_tls = TLS_OUT_OF_INDEXES;
static INIT_ONCE notify_init_once = INIT_ONCE_STATIC_INIT;
static const WCHAR notify_class[] = L"WineMAPIXNotifyWindow";

static inline struct thread_sink *impl_from_thread_IMAPIAdviseSink(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct thread_sink, IMAPIAdviseSink_iface);
}

static void deliver(struct posted_notifications *posted)
{
    IMAPIAdviseSink_OnNotify(posted->sink->inner, posted->count, posted->notifs);
    IMAPIAdviseSink_Release(&posted->sink->IMAPIAdviseSink_iface);
    free(posted->notifs);
    free(posted);
}

static LRESULT CALLBACK notify_wndproc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    if (msg == WM_MAPIX_NOTIFY)
    {
        deliver((struct posted_notifications *)lparam);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wparam, lparam);
}

static BOOL WINAPI notify_init(INIT_ONCE *once, void *param, void **context)
{
    WNDCLASSW wc;

    memset(&wc, 0, sizeof(wc));
    wc.lpfnWndProc = notify_wndproc;
    wc.hInstance = mapix_instance;
    wc.lpszClassName = notify_class;
    RegisterClassW(&wc);
    notify_window_tls = TlsAlloc();
    return TRUE;
}

/* One window per thread, kept for the thread's lifetime. */
static HWND get_notify_window(void)
{
    HWND hwnd;

    InitOnceExecuteOnce(&notify_init_once, notify_init, NULL, NULL);
    if (notify_window_tls == TLS_OUT_OF_INDEXES) return NULL;
    if ((hwnd = TlsGetValue(notify_window_tls))) return hwnd;
    hwnd = CreateWindowExW(0, notify_class, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, mapix_instance, NULL);
    if (hwnd) TlsSetValue(notify_window_tls, hwnd);
    return hwnd;
}

static ULONG WINAPI thread_sink_AddRef(IMAPIAdviseSink *iface)
{
    struct thread_sink *sink = impl_from_thread_IMAPIAdviseSink(iface);
    ULONG refcount = InterlockedIncrement(&sink->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI thread_sink_Release(IMAPIAdviseSink *iface)
{
    struct thread_sink *sink = impl_from_thread_IMAPIAdviseSink(iface);
    ULONG refcount = InterlockedDecrement(&sink->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    if (!refcount)
    {
        IMAPIAdviseSink_Release(sink->inner);
        free(sink);
    }
    return refcount;
}

static HRESULT WINAPI thread_sink_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifs)
{
    struct thread_sink *sink = impl_from_thread_IMAPIAdviseSink(iface);
    struct posted_notifications *posted;
    ULONG size;

    TRACE("%p, %lu, %p.\n", iface, count, notifs);

    if (GetCurrentThreadId() == sink->thread_id)
        return IMAPIAdviseSink_OnNotify(sink->inner, count, notifs);

    /* the caller's notifications are gone once OnNotify returns: copy them */
    if (FAILED(ScCountNotifications(count, notifs, &size))) return 0;
    if (!(posted = malloc(sizeof(*posted)))) return 0;
    if (!(posted->notifs = malloc(max(size, 1))))
    {
        free(posted);
        return 0;
    }
    ScCopyNotifications(count, notifs, posted->notifs, NULL);
    posted->count = count;
    posted->sink = sink;
    IMAPIAdviseSink_AddRef(iface);
    if (!PostMessageW(sink->hwnd, WM_MAPIX_NOTIFY, 0, (LPARAM)posted))
    {
        WARN("could not post to thread %#lx.\n", sink->thread_id);
        IMAPIAdviseSink_Release(iface);
        free(posted->notifs);
        free(posted);
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl thread_sink_vtbl =
{
    sink_QueryInterface,
    thread_sink_AddRef,
    thread_sink_Release,
    thread_sink_OnNotify,
};

/*************************************************************************
 * HrThisThreadAdviseSink (winemapix.@)
 *
 * Wraps a sink so that it is always called on the current thread; the
 * thread receives the calls from its message loop or HrDispatchNotifications.
 */
HRESULT WINAPI HrThisThreadAdviseSink(LPMAPIADVISESINK inner, LPMAPIADVISESINK *out)
{
    struct thread_sink *sink;
    HWND hwnd;

    TRACE("%p, %p.\n", inner, out);

    if (!inner || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!(hwnd = get_notify_window())) return MAPI_E_CALL_FAILED;
    if (!(sink = malloc(sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    sink->IMAPIAdviseSink_iface.lpVtbl = &thread_sink_vtbl;
    sink->refcount = 1;
    sink->inner = inner;
    IMAPIAdviseSink_AddRef(inner);
    sink->thread_id = GetCurrentThreadId();
    sink->hwnd = hwnd;
    *out = &sink->IMAPIAdviseSink_iface;
    return S_OK;
}

/*************************************************************************
 * HrDispatchNotifications (winemapix.@)
 *
 * Delivers the notifications waiting for this thread's sinks.
 */
HRESULT WINAPI HrDispatchNotifications(ULONG flags)
{
    MSG msg;
    HWND hwnd;

    TRACE("%#lx.\n", flags);

    if (notify_window_tls == TLS_OUT_OF_INDEXES || !(hwnd = TlsGetValue(notify_window_tls))) return S_OK;
    while (PeekMessageW(&msg, hwnd, WM_MAPIX_NOTIFY, WM_MAPIX_NOTIFY, PM_REMOVE))
        DispatchMessageW(&msg);
    return S_OK;
}
