import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useConnection } from "../../../lib/connection";
import { credentialRoutes, credentialsApi, type Credential, type CredentialsApi } from "../../../lib/cpa/credentials";
import { useCpaCapabilities } from "../../../lib/cpa/useCapabilities";
import { quotaApi, type CredentialQuota } from "../../../lib/quota";
import { credentialUsageApi } from "../api";
import { joinUsage, searchText } from "../logic";
import type { Row, UsageByIndex } from "../types";

export interface CredentialData {
  api: CredentialsApi | null;
  hasV8: boolean;
  exclusionsReplaceGlobal: boolean;
  credentials: Credential[] | null;
  rows: Row[];
  /** searchText of rows[i], computed once per list. */
  texts: string[];
  error: unknown;
  loading: boolean;
  usage: UsageByIndex | null;
  usageError: unknown;
  hasUsageService: boolean;
  /** CPA Manager's latest quota reading per auth_index; empty without its service (or an older one). */
  quota: ReadonlyMap<string, CredentialQuota>;
  reload: () => void;
  /** Applies changes CPA confirmed to the local list, without refetching thousands of entries. */
  patchLocal: (changes: ReadonlyMap<string, Partial<Credential>>) => void;
  removeLocal: (names: ReadonlySet<string>) => void;
}

/** The credential list from CPA and our usage per credential, loaded together and joined by auth_index. */
export function useCredentialData(): CredentialData {
  const caps = useCpaCapabilities();
  const { hasUsageService } = useConnection();
  const hasV8 = caps.data?.hasV8 ?? false;
  const api = useMemo(() => (caps.data ? credentialsApi(credentialRoutes(caps.data.hasV8)) : null), [caps.data]);
  const [credentials, setCredentials] = useState<Credential[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [usage, setUsage] = useState<UsageByIndex | null>(null);
  const [usageError, setUsageError] = useState<unknown>(null);
  const token = useRef(0);

  const usageToken = useRef(0);
  const [quota, setQuota] = useState<ReadonlyMap<string, CredentialQuota>>(() => new Map());

  // Usage does not depend on CPA's version, so it loads alongside the capability check and the list.
  const reloadUsage = useCallback(() => {
    if (!hasUsageService) return;
    const mine = ++usageToken.current;
    credentialUsageApi.byAuthIndex(Date.now()).then(
      (map) => mine === usageToken.current && (setUsage(map), setUsageError(null)),
      (cause: unknown) => mine === usageToken.current && setUsageError(cause),
    );
    // The badge is extra: a service without quota (an older one) simply shows none.
    quotaApi.latest().then(
      (list) => mine === usageToken.current && setQuota(new Map(list.map((q) => [q.authIndex, q]))),
      () => undefined,
    );
  }, [hasUsageService]);

  const reloadList = useCallback(() => {
    if (!api) return;
    const mine = ++token.current;
    setLoading(true);
    api.list().then(
      (list) => {
        if (mine !== token.current) return;
        setCredentials(list);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (mine !== token.current) return;
        setError(cause);
        setLoading(false);
      },
    );
  }, [api]);

  const reload = useCallback(() => {
    reloadList();
    reloadUsage();
  }, [reloadList, reloadUsage]);

  useEffect(() => {
    reloadList();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a request counter, not a DOM node: bumping its latest value drops in-flight responses
    return () => void token.current++;
  }, [reloadList]);
  useEffect(() => {
    reloadUsage();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- as above
    return () => void usageToken.current++;
  }, [reloadUsage]);

  const rows = useMemo(() => joinUsage(credentials ?? [], usage), [credentials, usage]);
  const texts = useMemo(() => (credentials ?? []).map(searchText), [credentials]);

  const patchLocal = useCallback((changes: ReadonlyMap<string, Partial<Credential>>) => {
    if (changes.size === 0) return;
    setCredentials((list) => list?.map((c) => {
      const change = changes.get(c.name);
      return change ? { ...c, ...change } : c;
    }) ?? list);
  }, []);
  const removeLocal = useCallback((names: ReadonlySet<string>) => {
    setCredentials((list) => list?.filter((c) => !names.has(c.name)) ?? list);
  }, []);

  return {
    api,
    hasV8,
    exclusionsReplaceGlobal: caps.data?.credentialExclusionsReplaceGlobal ?? false,
    credentials,
    rows,
    texts,
    error: error ?? caps.error,
    loading: loading || caps.loading,
    usage,
    usageError,
    hasUsageService,
    quota,
    reload,
    patchLocal,
    removeLocal,
  };
}
