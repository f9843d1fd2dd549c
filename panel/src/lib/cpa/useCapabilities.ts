import { useResource, type Resource } from "../useResource";
import { detectCapabilities, type CpaCapabilities } from "./capabilities";

/** The connected CPA's capabilities, detected once per page visit (so an upgraded CPA is seen at once). */
export function useCpaCapabilities(): Resource<CpaCapabilities> {
  return useResource(detectCapabilities, []);
}
