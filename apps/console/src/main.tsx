import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { logout } from './api';
import { AttentionPage } from './pages/attention';
import { MerchantsPage } from './pages/merchants';
import { OverviewPage } from './pages/overview';
import { PaymentPage } from './pages/payment';
import { PaymentsPage } from './pages/payments';

/** Hash routes: the gateway serves one page; #/payments/<id> etc. never reach the server. */
function useRoute(): string {
  const [route, setRoute] = useState(window.location.hash.slice(1) || '/payments');
  useEffect(() => {
    const onChange = () => setRoute(window.location.hash.slice(1) || '/payments');
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

const NAV = [
  ['/payments', 'Payments'],
  ['/attention', 'Needs attention'],
  ['/overview', 'Overview'],
  ['/merchants', 'Merchants'],
] as const;

function App() {
  const route = useRoute();
  const [path, query = ''] = route.split('?');
  const payment = /^\/payments\/([0-9a-f-]{36})$/i.exec(path);
  let page;
  // Keyed: another payment is a fresh page, never the previous one while it loads.
  if (payment) page = <PaymentPage key={payment[1]} id={payment[1]} />;
  else if (path === '/attention') page = <AttentionPage />;
  else if (path === '/overview') page = <OverviewPage />;
  else if (path === '/merchants') page = <MerchantsPage />;
  else page = <PaymentsPage query={new URLSearchParams(query)} />;
  return (
    <>
      <header>
        <strong>PSP console</strong>
        <nav>
          {NAV.map(([href, label]) => (
            <a
              key={href}
              href={`#${href}`}
              class={path === href || (href === '/payments' && payment) ? 'active' : ''}
            >
              {label}
            </a>
          ))}
        </nav>
        <button class="link" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
