#!/usr/bin/python3
# Checks the gazetteers in this directory (countries, places, orgs, titles):
# field counts, codes, duplicates, cross-code clashes and coverage of every UN
# member and observer state; prints counts per file, kind and language.
# Run: /usr/bin/python3 services/extract/data/check.py ; exit status 1 on errors.
import collections, json, os, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ISO = {c['alpha_3'] for c in json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']}
CODES = ISO | {'XKX'}
# ISO 3166-1 entries that are not UN member states (territories, Taiwan, ...).
NON_MEMBERS = set('''ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO
GGY GIB GLP GRL GUF GUM HKG HMD IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI
PSE PYF REU SGS SHN SJM SPM SXM TCA TKL TWN UMI VAT VGB VIR WLF'''.split())
UN_MEMBERS = ISO - NON_MEMBERS
STATES = UN_MEMBERS | {'VAT', 'PSE', 'XKX'}          # members + observers + Kosovo
# Forms that do not exist: English has no demonym for the Holy See, and
# "Dominican" is given to the Dominican Republic rather than to Dominica.
NO_FORM = {('VAT', 'en', 'adj'), ('DMA', 'en', 'adj')}

errors, warnings = [], []

def fold(s):
    """As the engine keys phrases (lex.c cx_fold_phrase): case folded, accents
    stripped, oe/ae ligatures expanded, any run of non-word characters
    (hyphen, apostrophe, dot, space) one separator."""
    s = s.replace('\u0153', 'oe').replace('\u0152', 'oe').replace('\u00e6', 'ae').replace('\u00c6', 'ae')
    s = unicodedata.normalize('NFD', s.casefold())
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return ' '.join(''.join(c if c.isalnum() else ' ' for c in s).split())

def rows(name, nmin, nmax):
    path = os.path.join(HERE, name)
    seen = set()
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        where = '%s:%d' % (name, n)
        f = line.split('\t')
        if not nmin <= len(f) <= nmax or any(not x.strip() or x != x.strip() for x in f):
            errors.append('%s: %d fields or blank/padded field: %r' % (where, len(f), line))
            continue
        if line in seen:
            errors.append('%s: duplicate line %r' % (where, line))
        seen.add(line)
        yield where, f

def langs(l):
    return {'fr', 'en'} if l == '*' else {l}

def check_coded(name, kinds, nmax, lang_ok=('fr', 'en', '*')):
    """countries.tsv / places.tsv: code lang kind text [exact]."""
    out, by_text = [], collections.defaultdict(set)
    for where, f in rows(name, 4, nmax):
        code, lang, kind, text = f[:4]
        if code not in CODES:
            errors.append('%s: bad code %s' % (where, code))
        if lang not in lang_ok or kind not in kinds:
            errors.append('%s: bad lang/kind %s/%s' % (where, lang, kind))
        if len(f) == 5 and f[4] != 'exact':
            errors.append('%s: 5th field must be "exact"' % where)
        exact = len(f) == 5
        key = text if exact else fold(text)
        for l in langs(lang):
            by_text[(l, kind if name == 'countries.tsv' else 'place', key)].add(code)
        out.append((code, lang, kind, text, exact))
    for (l, kind, key), codes in sorted(by_text.items()):
        if len(codes) > 1:
            errors.append('%s: %s %s %r maps to several codes %s' % (name, l, kind, key, sorted(codes)))
    folded = collections.Counter((c, l2, k, fold(t)) for c, l, k, t, _ in out for l2 in langs(l))
    for k, n in folded.items():
        if n > 1:
            warnings.append('%s: %r listed %d times (after folding case/accents)' % (name, k, n))
    return out

def counts(title, items):
    c = collections.Counter(items)
    print('%s: %d entries' % (title, sum(c.values())))
    for k in sorted(c):
        print('   %-28s %5d' % (' '.join(k), c[k]))

def main():
    ctry = check_coded('countries.tsv', ('name', 'adj', 'prefix'), 5)
    have = {(c, l2, k) for c, l, k, _, _ in ctry for l2 in langs(l)}
    for code in sorted(CODES):
        for l in ('fr', 'en'):
            if (code, l, 'name') not in have:
                errors.append('countries.tsv: %s has no %s name' % (code, l))
            if code in STATES and (code, l, 'adj') not in have and (code, l, 'adj') not in NO_FORM:
                errors.append('countries.tsv: %s has no %s adj' % (code, l))
    counts('countries.tsv', [(l, k) for _, l, k, _, _ in ctry])
    print('   states (UN members %d + VAT, PSE, XKX) covered: %d' % (len(UN_MEMBERS), len(STATES)))

    if os.path.exists(os.path.join(HERE, 'places.tsv')):
        pl = check_coded('places.tsv', ('capital', 'city', 'region'), 5)
        caps = {(c, l2) for c, l, k, _, _ in pl if k == 'capital' for l2 in langs(l)}
        for code in sorted(STATES - {'VAT', 'MCO', 'SGP'}):  # city-states: the state is the city
            for l in ('fr', 'en'):
                if (code, l) not in caps:
                    errors.append('places.tsv: %s has no %s capital' % (code, l))
        counts('places.tsv', [(l, k) for _, l, k, _, _ in pl])
        # a place spelt like a state name of another state would mislead
        ctext = collections.defaultdict(set)
        for c, l, k, t, _ in ctry:
            ctext[fold(t)].add(c)
        for c, l, k, t, _ in pl:
            if ctext.get(fold(t), {c}) != {c}:
                warnings.append('places.tsv: %s %r is also a country entry of %s' % (c, t, sorted(ctext[fold(t)])))

    if os.path.exists(os.path.join(HERE, 'orgs.tsv')):
        orgs = []
        for where, f in rows('orgs.tsv', 4, 5):
            key, lang, kind, text = f[:4]
            if not key.startswith('IGO:') or not key[4:].replace('_', '').isalnum() or not key[4:].isupper():
                errors.append('%s: bad key %s' % (where, key))
            if lang not in ('fr', 'en', '*') or kind not in ('name', 'acronym'):
                errors.append('%s: bad lang/kind' % where)
            if len(f) == 5 and f[4] not in CODES:
                errors.append('%s: bad host %s' % (where, f[4]))
            orgs.append((key, lang, kind, text))
        seen = collections.defaultdict(set)
        for key, lang, kind, text in orgs:
            for l in langs(lang):
                seen[(l, text if kind == 'acronym' else fold(text))].add(key)
        for k, ks in sorted(seen.items()):
            if len(ks) > 1:
                errors.append('orgs.tsv: %r names several orgs %s' % (k, sorted(ks)))
        keys = {k for k, *_ in orgs}
        print('orgs.tsv: %d organisations' % len(keys))
        counts('orgs.tsv', [(l, k) for _, l, k, _ in orgs])

    if os.path.exists(os.path.join(HERE, 'titles.tsv')):
        ti = []
        for where, f in rows('titles.tsv', 4, 4):
            lang, kind, text, canon = f
            if lang not in ('fr', 'en', '*') or kind not in ('honorific', 'rank', 'role'):
                errors.append('%s: bad lang/kind' % where)
            if canon != canon.lower():
                errors.append('%s: canonical form must be lower case' % where)
            ti.append((lang, kind, text))
        c = collections.Counter((l, k, fold(t)) for l, k, t in ti)
        for k, n in c.items():
            if n > 1:
                warnings.append('titles.tsv: %r listed %d times (after folding)' % (k, n))
        counts('titles.tsv', [(l, k) for l, k, _ in ti])

    for w in warnings:
        print('warning:', w)
    for e in errors:
        print('ERROR:', e)
    print('%d errors, %d warnings' % (len(errors), len(warnings)))
    return 1 if errors else 0

if __name__ == '__main__':
    sys.exit(main())
