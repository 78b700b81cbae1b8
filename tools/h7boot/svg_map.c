/*
 * svg_map.c — the SVG memory map (see svg_map.h).
 */
#include "svg_map.h"

#include <string.h>

#include "mem_kind.h"

enum { WIDTH = 960, LABEL_W = 110, BAR_MAX = 600, ROW_H = 46, BAR_H = 26, TOP = 52 };

static const char *const kind_colour[] = {"#4e79a7", "#9c755f", "#f28e2b", "#59a14f"};

static void xml_text(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '&': fputs("&amp;", o); break;
        case '"': fputs("&quot;", o); break;
        default: fputc(*s, o);
        }
    }
}

static void human(char *buf, size_t n, uint64_t v)
{
    if (v >= (1u << 20) && v % (1u << 20) == 0)
        snprintf(buf, n, "%u MB", (unsigned)(v >> 20));
    else if (v >= 10240)
        snprintf(buf, n, "%.1f KB", v / 1024.0);
    else
        snprintf(buf, n, "%u B", (unsigned)v);
}

/* log2 without libm (the CLI links no -lm): whole octaves plus a linear fraction. */
static double log2_approx(double v)
{
    double l = 0;
    while (v >= 2) {
        v /= 2;
        l++;
    }
    return l + (v - 1);
}

static bool shown(const struct h7_mem_region_use *ru, bool all)
{
    return all || ru->used;
}

void h7_svg_map_write(FILE *o, const char *title, const struct h7_mem_usage *u, bool all)
{
    size_t rows = 0;
    double max_log = 1;
    for (size_t i = 0; i < u->n_regions; i++) {
        if (!shown(&u->regions[i], all))
            continue;
        rows++;
        double l = log2_approx((double)u->regions[i].region->length + 1);
        if (l > max_log)
            max_log = l;
    }
    int height = TOP + (int)rows * ROW_H + 40;
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            WIDTH, height, WIDTH, height);
    fputs("<defs><pattern id=\"load\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e0e0e0\"/>"
          "<rect width=\"3\" height=\"6\" fill=\"#8a8a8a\"/></pattern></defs>\n",
          o);
    fprintf(o, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, height);
    fputs("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">", o);
    xml_text(o, title);
    fputs("</text>\n", o);

    int y = TOP;
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_mem_region_use *ru = &u->regions[i];
        if (!shown(ru, all))
            continue;
        const struct h7_region *r = ru->region;
        double bar = BAR_MAX * log2_approx((double)r->length + 1) / max_log;
        if (bar < 60)
            bar = 60;
        fprintf(o, "<g id=\"region-%s\">\n", r->name);
        fprintf(o, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">", y + 17);
        xml_text(o, r->name);
        fprintf(o, "</text><text x=\"10\" y=\"%d\" font-size=\"10\" fill=\"#555\">0x%08x</text>\n",
                y + 31, (unsigned)r->origin);
        fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f4f4f4\" "
                   "stroke=\"#333\"/>\n",
                LABEL_W, y, bar, BAR_H);
        for (size_t k = 0; k < ru->n_placed; k++) {
            const struct h7_mem_placed *p = &ru->placed[k];
            uint32_t start = p->load_image ? p->section->lma : p->section->addr;
            if (!p->section->size)
                continue;
            double x = LABEL_W + bar * (double)(start - r->origin) / r->length;
            double w = bar * (double)p->section->size / r->length;
            if (w < 1)
                w = 1;
            const char *fill = p->load_image ? "url(#load)"
                                             : kind_colour[h7_mem_kind_of(p->section)];
            fprintf(o, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
                       "<title>",
                    x, y + 1, w, BAR_H - 2, fill);
            xml_text(o, p->section->name);
            fprintf(o, "%s: %u bytes at 0x%08x</title></rect>\n",
                    p->load_image ? " (load image)" : "", (unsigned)p->section->size,
                    (unsigned)start);
        }
        /* Fill level: a line at the end of the used extent. */
        double fx = LABEL_W + bar * (ru->used > r->length ? 1.0 : (double)ru->used / r->length);
        fprintf(o, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\" "
                   "stroke-width=\"2\"/>\n",
                fx, y - 3, fx, y + BAR_H + 3, ru->used > r->length ? "#e15759" : "#222");
        char used[32], size[32];
        human(used, sizeof used, ru->used);
        human(size, sizeof size, r->length);
        fprintf(o, "<text x=\"%.1f\" y=\"%d\"%s>%s / %s (%.1f%%)</text>\n", LABEL_W + bar + 8,
                y + 17, ru->used > r->length ? " fill=\"#e15759\"" : "", used, size,
                r->length ? ru->used * 100.0 / r->length : 0.0);
        fputs("</g>\n", o);
        y += ROW_H;
    }
    /* Legend. */
    static const char *const legend[] = {"code", "read-only data", "data", "zeroed (.bss)"};
    int x = 10;
    for (int k = 0; k < 4; k++) {
        fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\">%s</text>\n",
                x, y + 6, kind_colour[k], x + 18, y + 18, legend[k]);
        x += 40 + 8 * (int)strlen(legend[k]);
    }
    fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"url(#load)\"/>"
               "<text x=\"%d\" y=\"%d\">load image (copied at start-up)</text>\n",
            x, y + 6, x + 18, y + 18);
    fputs("</svg>\n", o);
}
