/*
 * Intrusive doubly linked lists
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

/*
 * Debian's libwine-dev does not ship Wine's include/wine/list.h, which
 * Wine's own DLLs use.  This header offers the same interface, so that code
 * written here builds unchanged inside Wine's tree, where Wine's header is
 * found instead.  A list is a circular chain through a sentinel head.
 */

#ifndef __WINE_SERVER_LIST_H
#define __WINE_SERVER_LIST_H

#include <stddef.h>

struct list
{
    struct list *next;
    struct list *prev;
};

#define LIST_INIT(list)  { &(list), &(list) }

static inline void list_init( struct list *list )
{
    list->next = list->prev = list;
}

/* puts ELEM right after WHERE */
static inline void list_add_after( struct list *where, struct list *elem )
{
    elem->next = where->next;
    elem->prev = where;
    where->next->prev = elem;
    where->next = elem;
}

/* puts ELEM right before WHERE */
static inline void list_add_before( struct list *where, struct list *elem )
{
    list_add_after( where->prev, elem );
}

static inline void list_add_head( struct list *list, struct list *elem )
{
    list_add_after( list, elem );
}

static inline void list_add_tail( struct list *list, struct list *elem )
{
    list_add_before( list, elem );
}

static inline void list_remove( struct list *elem )
{
    elem->next->prev = elem->prev;
    elem->prev->next = elem->next;
}

static inline struct list *list_next( const struct list *list, const struct list *elem )
{
    return elem->next == list ? NULL : elem->next;
}

static inline struct list *list_prev( const struct list *list, const struct list *elem )
{
    return elem->prev == list ? NULL : elem->prev;
}

static inline struct list *list_head( const struct list *list )
{
    return list_next( list, list );
}

static inline struct list *list_tail( const struct list *list )
{
    return list_prev( list, list );
}

static inline int list_empty( const struct list *list )
{
    return list->next == list;
}

static inline unsigned int list_count( const struct list *list )
{
    const struct list *elem;
    unsigned int count = 0;

    for (elem = list->next; elem != list; elem = elem->next) count++;
    return count;
}

/* moves every element of SRC to the end of DST, leaving SRC empty */
static inline void list_move_tail( struct list *dst, struct list *src )
{
    if (list_empty( src )) return;
    src->next->prev = dst->prev;
    dst->prev->next = src->next;
    src->prev->next = dst;
    dst->prev = src->prev;
    list_init( src );
}

/* moves every element of SRC to the start of DST, leaving SRC empty */
static inline void list_move_head( struct list *dst, struct list *src )
{
    if (list_empty( src )) return;
    src->prev->next = dst->next;
    dst->next->prev = src->prev;
    src->next->prev = dst;
    dst->next = src->next;
    list_init( src );
}

#define LIST_ENTRY(elem, type, field) \
    ((type *)((char *)(elem) - offsetof(type, field)))

#define LIST_FOR_EACH(cursor, list) \
    for ((cursor) = (list)->next; (cursor) != (list); (cursor) = (cursor)->next)

#define LIST_FOR_EACH_SAFE(cursor, cursor2, list) \
    for ((cursor) = (list)->next, (cursor2) = (cursor)->next; \
         (cursor) != (list); \
         (cursor) = (cursor2), (cursor2) = (cursor)->next)

#define LIST_FOR_EACH_ENTRY(elem, list, type, field) \
    for ((elem) = LIST_ENTRY((list)->next, type, field); \
         &(elem)->field != (list); \
         (elem) = LIST_ENTRY((elem)->field.next, type, field))

#define LIST_FOR_EACH_ENTRY_SAFE(cursor, cursor2, list, type, field) \
    for ((cursor) = LIST_ENTRY((list)->next, type, field), \
         (cursor2) = LIST_ENTRY((cursor)->field.next, type, field); \
         &(cursor)->field != (list); \
         (cursor) = (cursor2), \
         (cursor2) = LIST_ENTRY((cursor)->field.next, type, field))

#define LIST_FOR_EACH_ENTRY_REV(elem, list, type, field) \
    for ((elem) = LIST_ENTRY((list)->prev, type, field); \
         &(elem)->field != (list); \
         (elem) = LIST_ENTRY((elem)->field.prev, type, field))

#define LIST_FOR_EACH_ENTRY_SAFE_REV(cursor, cursor2, list, type, field) \
    for ((cursor) = LIST_ENTRY((list)->prev, type, field), \
         (cursor2) = LIST_ENTRY((cursor)->field.prev, type, field); \
         &(cursor)->field != (list); \
         (cursor) = (cursor2), \
         (cursor2) = LIST_ENTRY((cursor)->field.prev, type, field))

#endif /* __WINE_SERVER_LIST_H */
