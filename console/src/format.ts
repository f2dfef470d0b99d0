/** A yuan amount as the ledger shows it: thousands separated, two places, from the exact decimal string. */
export function yuan(amount: string): string {
  const [whole, fraction = '00'] = amount.replace('-', '').split('.');
  return `${amount.startsWith('-') ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`;
}
