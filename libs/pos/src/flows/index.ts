export * from './pos-settlement.service';
