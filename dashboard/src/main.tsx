import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { authApi } from './api/client';
import { Session } from './auth/session';
import './styles.css';

const session = new Session(authApi, window.sessionStorage);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
