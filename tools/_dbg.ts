import { triage } from '../libs/clinical-reference/src';
for (const t of process.argv.slice(2)) { const r = triage({ texts: [{ field: 'reason', text: t }] }); console.log(t, '=>', r.disposition, JSON.stringify(r.matches.map((m) => [m.rule, m.effect, m.status, m.phrase]))); }
