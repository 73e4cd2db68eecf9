/** npm run contracts:asyncapi: writes libs/contracts/asyncapi.json from every registered integration event. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allIntegrationEvents, asyncApiDocument } from '@carebridge/contracts';

const file = path.join(__dirname, '..', 'libs', 'contracts', 'asyncapi.json');
writeFileSync(file, JSON.stringify(asyncApiDocument(allIntegrationEvents), null, 2) + '\n');
console.log(`[contracts] ${allIntegrationEvents.length} integration events -> ${path.relative(process.cwd(), file)}`);
