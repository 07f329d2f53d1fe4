/*
 * IPropData: an in-memory property object (CreateIProp)
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

#include "winemapix_private.h"
#include "mapiguid.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

#define IPROP_ACCESS_MASK (IPROP_READONLY | IPROP_READWRITE)
#define IPROP_STATUS_MASK (IPROP_CLEAN | IPROP_DIRTY)

struct prop_entry
{
    SPropValue *value;  /* one malloc'd block, see props_block_copy() */
    ULONG access;       /* IPROP_READONLY/READWRITE | IPROP_CLEAN/DIRTY */
};

struct prop_data
{
    IPropData IPropData_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    ALLOCATEBUFFER *alloc;
    ALLOCATEMORE *more;
    FREEBUFFER *free_buf;
    ULONG access;               /* object access level */
    struct prop_entry *props;
    ULONG count, capacity;
};

static inline struct prop_data *impl_from_IPropData(IPropData *iface)
{
    return CONTAINING_RECORD(iface, struct prop_data, IPropData_iface);
}

/* Properties are identified by id; a tag of another type replaces the value. */
static LONG prop_find(const struct prop_data *obj, ULONG tag)
{
    ULONG i;

    for (i = 0; i < obj->count; i++)
        if (PROP_ID(obj->props[i].value->ulPropTag) == PROP_ID(tag)) return i;
    return -1;
}

static HRESULT prop_store(struct prop_data *obj, const SPropValue *value, ULONG access)
{
    SPropValue *copy;
    LONG idx;

    if (!(copy = malloc(props_block_size(value, 1)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    props_block_copy(copy, value, 1);
    if ((idx = prop_find(obj, value->ulPropTag)) >= 0)
    {
        free(obj->props[idx].value);
        obj->props[idx].value = copy;
        obj->props[idx].access = (obj->props[idx].access & IPROP_ACCESS_MASK) | IPROP_DIRTY;
        return S_OK;
    }
    if (obj->count == obj->capacity)
    {
        ULONG cap = max(obj->capacity * 2, 8);
        struct prop_entry *props = realloc(obj->props, cap * sizeof(*props));

        if (!props)
        {
            free(copy);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        obj->props = props;
        obj->capacity = cap;
    }
    obj->props[obj->count].value = copy;
    obj->props[obj->count].access = access;
    obj->count++;
    return S_OK;
}

static void prop_remove(struct prop_data *obj, ULONG idx)
{
    free(obj->props[idx].value);
    memmove(&obj->props[idx], &obj->props[idx + 1], (obj->count - idx - 1) * sizeof(*obj->props));
    obj->count--;
}

/* Builds a problem array for the caller, or none if nothing went wrong. */
static HRESULT make_problems(struct prop_data *obj, const SPropProblem *problems, ULONG count,
                             SPropProblemArray **out)
{
    SPropProblemArray *ret;
    SCODE sc;

    if (!out) return S_OK;
    *out = NULL;
    if (!count) return S_OK;
    if ((sc = obj->alloc(CbNewSPropProblemArray(count), (void **)&ret)) != S_OK) return sc;
    ret->cProblem = count;
    memcpy(ret->aProblem, problems, count * sizeof(*problems));
    *out = ret;
    return S_OK;
}

static HRESULT WINAPI prop_data_QueryInterface(IPropData *iface, REFIID riid, void **out)
{
    struct prop_data *obj = impl_from_IPropData(iface);

    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), out);

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) || IsEqualIID(riid, &IID_IMAPIPropData))
    {
        *out = &obj->IPropData_iface;
        IPropData_AddRef(iface);
        return S_OK;
    }
    WARN("Unsupported %s.\n", debugstr_guid(riid));
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI prop_data_AddRef(IPropData *iface)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    ULONG refcount = InterlockedIncrement(&obj->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI prop_data_Release(IPropData *iface)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    ULONG refcount = InterlockedDecrement(&obj->refcount);
    ULONG i;

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        for (i = 0; i < obj->count; i++) free(obj->props[i].value);
        free(obj->props);
        obj->cs.DebugInfo->Spare[0] = 0;
        DeleteCriticalSection(&obj->cs);
        free(obj);
    }
    return refcount;
}

static HRESULT WINAPI prop_data_GetLastError(IPropData *iface, HRESULT hr, ULONG flags, MAPIERROR **error)
{
    TRACE("%p, %#lx, %#lx, %p.\n", iface, hr, flags, error);

    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no extended error information is kept */
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI prop_data_SaveChanges(IPropData *iface, ULONG flags)
{
    TRACE("%p, %#lx.\n", iface, flags);

    /* the object is not transacted: every change is already in place */
    return S_OK;
}

static HRESULT WINAPI prop_data_GetProps(IPropData *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                         SPropValue **out)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    SPropValue *tmp, *block;
    ULONG i, n, size;
    HRESULT hr = S_OK;
    LONG idx;
    SCODE sc;

    TRACE("%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, out);

    if (!count || !out) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (tags && !tags->cValues) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    *count = 0;

    EnterCriticalSection(&obj->cs);
    n = tags ? tags->cValues : obj->count;
    if (!(tmp = calloc(max(n, 1), sizeof(*tmp))))
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < n; i++)
    {
        if (!tags)
        {
            tmp[i] = *obj->props[i].value;
            continue;
        }
        idx = prop_find(obj, tags->aulPropTag[i]);
        if (idx >= 0 && (PROP_TYPE(tags->aulPropTag[i]) == PT_UNSPECIFIED
                         || PROP_TYPE(tags->aulPropTag[i]) == PROP_TYPE(obj->props[idx].value->ulPropTag)))
            tmp[i] = *obj->props[idx].value;
        else
        {
            tmp[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            tmp[i].Value.err = MAPI_E_NOT_FOUND;
            hr = MAPI_W_ERRORS_RETURNED;
        }
    }
    size = props_block_size(tmp, n);
    if ((sc = obj->alloc(max(size, 1), (void **)&block)) != S_OK)
        hr = sc;
    else
    {
        props_block_copy(block, tmp, n);
        *out = block;
        *count = n;
    }
    free(tmp);
    LeaveCriticalSection(&obj->cs);
    return hr;
}

static HRESULT WINAPI prop_data_GetPropList(IPropData *iface, ULONG flags, SPropTagArray **out)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    SPropTagArray *ret;
    ULONG i;
    SCODE sc;

    TRACE("%p, %#lx, %p.\n", iface, flags, out);

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    EnterCriticalSection(&obj->cs);
    if ((sc = obj->alloc(CbNewSPropTagArray(obj->count), (void **)&ret)) == S_OK)
    {
        ret->cValues = obj->count;
        for (i = 0; i < obj->count; i++) ret->aulPropTag[i] = obj->props[i].value->ulPropTag;
        *out = ret;
    }
    LeaveCriticalSection(&obj->cs);
    return sc;
}

static HRESULT WINAPI prop_data_OpenProperty(IPropData *iface, ULONG tag, const IID *iid, ULONG options,
                                             ULONG flags, IUnknown **out)
{
    TRACE("%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, out);

    /* property data objects hold values only, no subobjects or streams */
    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI prop_data_SetProps(IPropData *iface, ULONG count, SPropValue *values,
                                         SPropProblemArray **problems)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    SPropProblem *probs;
    ULONG i, nprobs = 0;
    HRESULT hr = S_OK;
    LONG idx;

    TRACE("%p, %lu, %p, %p.\n", iface, count, values, problems);

    if (!values && count) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++)
        if (PROP_TYPE(values[i].ulPropTag) == PT_OBJECT || PROP_TYPE(values[i].ulPropTag) == PT_ERROR
                || PROP_TYPE(values[i].ulPropTag) == PT_UNSPECIFIED || PROP_ID(values[i].ulPropTag) == PROP_ID_NULL)
            return MAPI_E_INVALID_PARAMETER;
    if (problems) *problems = NULL;

    EnterCriticalSection(&obj->cs);
    if (obj->access & IPROP_READONLY)
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NO_ACCESS;
    }
    if (!(probs = malloc(max(count, 1) * sizeof(*probs))))
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        if ((idx = prop_find(obj, values[i].ulPropTag)) >= 0 && (obj->props[idx].access & IPROP_READONLY))
        {
            probs[nprobs].ulIndex = i;
            probs[nprobs].ulPropTag = values[i].ulPropTag;
            probs[nprobs].scode = MAPI_E_NO_ACCESS;
            nprobs++;
            continue;
        }
        hr = prop_store(obj, &values[i], IPROP_READWRITE | IPROP_DIRTY);
    }
    if (SUCCEEDED(hr)) hr = make_problems(obj, probs, nprobs, problems);
    free(probs);
    LeaveCriticalSection(&obj->cs);
    return hr;
}

static HRESULT WINAPI prop_data_DeleteProps(IPropData *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    SPropProblem *probs;
    ULONG i, nprobs = 0;
    HRESULT hr;
    LONG idx;

    TRACE("%p, %p, %p.\n", iface, tags, problems);

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (problems) *problems = NULL;

    EnterCriticalSection(&obj->cs);
    if (obj->access & IPROP_READONLY)
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NO_ACCESS;
    }
    if (!(probs = malloc(max(tags->cValues, 1) * sizeof(*probs))))
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < tags->cValues; i++)
    {
        SCODE sc = S_OK;

        if ((idx = prop_find(obj, tags->aulPropTag[i])) < 0) sc = MAPI_E_NOT_FOUND;
        else if (obj->props[idx].access & IPROP_READONLY) sc = MAPI_E_NO_ACCESS;
        else prop_remove(obj, idx);
        if (sc == S_OK) continue;
        probs[nprobs].ulIndex = i;
        probs[nprobs].ulPropTag = tags->aulPropTag[i];
        probs[nprobs].scode = sc;
        nprobs++;
    }
    hr = make_problems(obj, probs, nprobs, problems);
    free(probs);
    LeaveCriticalSection(&obj->cs);
    return hr;
}

static BOOL tag_in(const SPropTagArray *tags, ULONG tag)
{
    ULONG i;

    if (!tags) return FALSE;
    for (i = 0; i < tags->cValues; i++)
        if (PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

/* Shared by CopyTo and CopyProps: copies the chosen values to another
 * IMAPIProp through its own SetProps, so its access rules apply. */
static HRESULT copy_props(struct prop_data *obj, const SPropTagArray *include, const SPropTagArray *exclude,
                          const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    SPropValue *values = NULL;
    IMAPIProp *target;
    SPropTagArray *tags;
    ULONG i, n = 0;
    HRESULT hr;

    if (!dest) return MAPI_E_INVALID_PARAMETER;
    if (iid && !IsEqualIID(iid, &IID_IMAPIProp) && !IsEqualIID(iid, &IID_IMAPIPropData)
            && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (flags & ~(MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK))
        return MAPI_E_UNKNOWN_FLAGS;
    if (problems) *problems = NULL;
    if (FAILED(hr = IUnknown_QueryInterface((IUnknown *)dest, &IID_IMAPIProp, (void **)&target))) return hr;
    if (target == (IMAPIProp *)&obj->IPropData_iface)
    {
        IMAPIProp_Release(target);
        return MAPI_E_NO_ACCESS;
    }

    EnterCriticalSection(&obj->cs);
    if (!(tags = malloc(CbNewSPropTagArray(obj->count))))
    {
        LeaveCriticalSection(&obj->cs);
        IMAPIProp_Release(target);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < obj->count; i++)
    {
        ULONG tag = obj->props[i].value->ulPropTag;

        if (include && !tag_in(include, tag)) continue;
        if (exclude && tag_in(exclude, tag)) continue;
        tags->aulPropTag[n++] = tag;
    }
    tags->cValues = n;
    if (n && (values = malloc(n * sizeof(*values))))
        for (i = 0; i < n; i++) values[i] = *obj->props[prop_find(obj, tags->aulPropTag[i])].value;
    LeaveCriticalSection(&obj->cs);

    if (n && !values) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!n) hr = S_OK;
    else
    {
        if (flags & MAPI_NOREPLACE)
        {
            SPropValue *existing = NULL;
            ULONG count = 0, kept = 0;

            /* drop the values the destination already has */
            if (SUCCEEDED(IMAPIProp_GetProps(target, tags, 0, &count, &existing)) && existing)
            {
                for (i = 0; i < n; i++)
                    if (PROP_TYPE(existing[i].ulPropTag) == PT_ERROR) values[kept++] = values[i];
                obj->free_buf(existing);
                n = kept;
            }
        }
        hr = n ? IMAPIProp_SetProps(target, n, values, problems) : S_OK;
        if (SUCCEEDED(hr) && (flags & MAPI_MOVE))
        {
            EnterCriticalSection(&obj->cs);
            for (i = 0; i < tags->cValues; i++)
            {
                LONG idx = prop_find(obj, tags->aulPropTag[i]);
                if (idx >= 0 && !(obj->props[idx].access & IPROP_READONLY)) prop_remove(obj, idx);
            }
            LeaveCriticalSection(&obj->cs);
        }
    }
    free(values);
    free(tags);
    IMAPIProp_Release(target);
    return hr;
}

static HRESULT WINAPI prop_data_CopyTo(IPropData *iface, ULONG exclude_count, const IID *exclude_iids,
                                       SPropTagArray *exclude, ULONG ui_param, IMAPIProgress *progress,
                                       const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    ULONG i;

    TRACE("%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude,
          ui_param, progress, debugstr_guid(iid), dest, flags, problems);

    /* excluding the destination interface itself leaves nothing to copy */
    for (i = 0; i < exclude_count && exclude_iids; i++)
        if (iid && IsEqualIID(&exclude_iids[i], iid)) return S_OK;
    return copy_props(obj, NULL, exclude, iid, dest, flags, problems);
}

static HRESULT WINAPI prop_data_CopyProps(IPropData *iface, SPropTagArray *include, ULONG ui_param,
                                          IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                          SPropProblemArray **problems)
{
    struct prop_data *obj = impl_from_IPropData(iface);

    TRACE("%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include, ui_param, progress, debugstr_guid(iid),
          dest, flags, problems);

    if (!include) return MAPI_E_INVALID_PARAMETER;
    return copy_props(obj, include, NULL, iid, dest, flags, problems);
}

static HRESULT WINAPI prop_data_GetNamesFromIDs(IPropData *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                                ULONG *count, MAPINAMEID ***names)
{
    TRACE("%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names);

    /* there is no name-to-id mapping behind a property data object */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI prop_data_GetIDsFromNames(IPropData *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                                SPropTagArray **tags)
{
    TRACE("%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags);

    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI prop_data_HrSetObjAccess(IPropData *iface, ULONG access)
{
    struct prop_data *obj = impl_from_IPropData(iface);

    TRACE("%p, %#lx.\n", iface, access);

    if (access != IPROP_READONLY && access != IPROP_READWRITE) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&obj->cs);
    obj->access = access;
    LeaveCriticalSection(&obj->cs);
    return S_OK;
}

static BOOL access_valid(ULONG access)
{
    if (access & ~(IPROP_ACCESS_MASK | IPROP_STATUS_MASK)) return FALSE;
    if ((access & IPROP_ACCESS_MASK) == IPROP_ACCESS_MASK) return FALSE;
    if ((access & IPROP_STATUS_MASK) == IPROP_STATUS_MASK) return FALSE;
    return !!(access & IPROP_ACCESS_MASK);
}

static HRESULT WINAPI prop_data_HrSetPropAccess(IPropData *iface, SPropTagArray *tags, ULONG *access)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    ULONG i;
    LONG idx;

    TRACE("%p, %p, %p.\n", iface, tags, access);

    if (!tags || !access) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < tags->cValues; i++)
        if (!access_valid(access[i])) return MAPI_E_INVALID_PARAMETER;

    EnterCriticalSection(&obj->cs);
    if (obj->access & IPROP_READONLY)
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NO_ACCESS;
    }
    for (i = 0; i < tags->cValues; i++)
    {
        if ((idx = prop_find(obj, tags->aulPropTag[i])) < 0) continue;
        /* a status flag left out keeps the current status */
        if (access[i] & IPROP_STATUS_MASK) obj->props[idx].access = access[i];
        else obj->props[idx].access = access[i] | (obj->props[idx].access & IPROP_STATUS_MASK);
    }
    LeaveCriticalSection(&obj->cs);
    return S_OK;
}

static HRESULT WINAPI prop_data_HrGetPropAccess(IPropData *iface, SPropTagArray **tags, ULONG **access)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    SPropTagArray *ret_tags;
    ULONG *ret_access, i;
    SCODE sc;

    TRACE("%p, %p, %p.\n", iface, tags, access);

    if (!tags || !access) return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    *access = NULL;
    EnterCriticalSection(&obj->cs);
    if ((sc = obj->alloc(CbNewSPropTagArray(obj->count), (void **)&ret_tags)) != S_OK)
    {
        LeaveCriticalSection(&obj->cs);
        return sc;
    }
    if ((sc = obj->alloc(max(obj->count, 1) * sizeof(ULONG), (void **)&ret_access)) != S_OK)
    {
        obj->free_buf(ret_tags);
        LeaveCriticalSection(&obj->cs);
        return sc;
    }
    ret_tags->cValues = obj->count;
    for (i = 0; i < obj->count; i++)
    {
        ret_tags->aulPropTag[i] = obj->props[i].value->ulPropTag;
        ret_access[i] = obj->props[i].access;
    }
    LeaveCriticalSection(&obj->cs);
    *tags = ret_tags;
    *access = ret_access;
    return S_OK;
}

static HRESULT WINAPI prop_data_HrAddObjProps(IPropData *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct prop_data *obj = impl_from_IPropData(iface);
    SPropValue value;
    HRESULT hr = S_OK;
    ULONG i;

    TRACE("%p, %p, %p.\n", iface, tags, problems);

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < tags->cValues; i++)
        if (PROP_TYPE(tags->aulPropTag[i]) != PT_OBJECT) return MAPI_E_INVALID_TYPE;
    if (problems) *problems = NULL;

    EnterCriticalSection(&obj->cs);
    if (obj->access & IPROP_READONLY)
    {
        LeaveCriticalSection(&obj->cs);
        return MAPI_E_NO_ACCESS;
    }
    for (i = 0; i < tags->cValues && SUCCEEDED(hr); i++)
    {
        /* the value is a placeholder: the object itself lives elsewhere */
        memset(&value, 0, sizeof(value));
        value.ulPropTag = tags->aulPropTag[i];
        value.Value.x = 0;
        hr = prop_store(obj, &value, IPROP_READWRITE | IPROP_DIRTY);
    }
    LeaveCriticalSection(&obj->cs);
    return hr;
}

static const IPropDataVtbl prop_data_vtbl =
{
    prop_data_QueryInterface,
    prop_data_AddRef,
    prop_data_Release,
    prop_data_GetLastError,
    prop_data_SaveChanges,
    prop_data_GetProps,
    prop_data_GetPropList,
    prop_data_OpenProperty,
    prop_data_SetProps,
    prop_data_DeleteProps,
    prop_data_CopyTo,
    prop_data_CopyProps,
    prop_data_GetNamesFromIDs,
    prop_data_GetIDsFromNames,
    prop_data_HrSetObjAccess,
    prop_data_HrSetPropAccess,
    prop_data_HrGetPropAccess,
    prop_data_HrAddObjProps,
};

/* Internal constructor for objects built on a property data object. */
HRESULT iprop_create(ALLOCATEBUFFER *alloc, ALLOCATEMORE *more, FREEBUFFER *free_buf, IPropData **out)
{
    struct prop_data *obj;

    if (!out || !alloc || !more || !free_buf) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!(obj = calloc(1, sizeof(*obj)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    obj->IPropData_iface.lpVtbl = &prop_data_vtbl;
    obj->refcount = 1;
    obj->alloc = alloc;
    obj->more = more;
    obj->free_buf = free_buf;
    obj->access = IPROP_READWRITE;
    InitializeCriticalSection(&obj->cs);
    obj->cs.DebugInfo->Spare[0] = (DWORD_PTR)(__FILE__ ": prop_data.cs");
    *out = &obj->IPropData_iface;
    return S_OK;
}

/*************************************************************************
 * CreateIProp (winemapix.@)
 *
 * Creates an empty, read/write IPropData object.
 */
SCODE WINAPI CreateIProp(LPCIID iid, ALLOCATEBUFFER *alloc, ALLOCATEMORE *more, FREEBUFFER *free_buf,
                         void *reserved, IPropData **out)
{
    TRACE("%s, %p, %p, %p, %p, %p.\n", debugstr_guid(iid), alloc, more, free_buf, reserved, out);

    if (iid && !IsEqualIID(iid, &IID_IMAPIPropData)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (reserved) return MAPI_E_INVALID_PARAMETER;
    return iprop_create(alloc, more, free_buf, out);
}
