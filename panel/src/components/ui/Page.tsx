import type { ReactNode } from "react";
import surface from "./Surface.module.css";

interface PageProps {
  title: ReactNode;
  /** What the page is for, under the title. */
  intro?: ReactNode;
  /** Buttons at the right end of the title row. */
  actions?: ReactNode;
  children: ReactNode;
}

/** A page's column: the title row (title, intro, actions) and then the page's own sections. */
export function Page({ title, intro, actions, children }: PageProps) {
  return (
    <div className={surface.page}>
      <header className={surface.pageHeader}>
        <div>
          <h1 className={surface.pageTitle}>{title}</h1>
          {intro ? <p className={surface.pageIntro}>{intro}</p> : null}
        </div>
        {actions}
      </header>
      {children}
    </div>
  );
}
