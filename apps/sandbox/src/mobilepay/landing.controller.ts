import { Controller, Get, Header, Param } from '@nestjs/common';
import { htmlPage } from '../common/html-page';
import { PaymentsStore } from './payments.store';

/**
 * A minimal stand-in for MobilePay's landing page behind redirectToMobilePayUrl, with a button
 * that swipes via the regression-tester endpoint.
 */
@Controller()
export class LandingController {
  constructor(private readonly payments: PaymentsStore) {}

  @Get('sandbox/v1/landing/:paymentId')
  @Header('content-type', 'text/html; charset=utf-8')
  landing(@Param('paymentId') paymentId: string): string {
    const payment = this.payments.get(paymentId);
    if (!payment) return htmlPage('MobilePay sandbox', '<p>Unknown payment.</p>');
    const amount = `${(payment.amount / 100).toFixed(2)} ${payment.currencyCode}`;
    const swipeUrl = `/api/v1/product/payments/simulation/enter-phone-and-swipe/${payment.paymentId}`;
    return htmlPage(
      'MobilePay sandbox',
      `<p>${escape(payment.request.merchantName)}: <b>${escape(amount)}</b> — ${payment.status}</p>
<button id="swipe">Swipe to pay</button><pre id="out"></pre>
<script>
document.getElementById('swipe').onclick = async () => {
  const r = await fetch(${JSON.stringify(swipeUrl)}, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '{"phoneNumber":"004512345678"}' });
  document.getElementById('out').textContent = JSON.stringify(await r.json(), null, 2);
};
</script>`,
    );
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
