// A React 19 app embedding the elements as a React team would: import the package (defining the
// tags before React creates them, so that React sets properties on them), then render.
import 'turtle-shell/elements';
import { createRoot } from 'react-dom/client';
import { HostPage } from './host-page.jsx';

createRoot(document.getElementById('root')).render(<HostPage />);
