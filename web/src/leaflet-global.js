// Leaflet as the global L: leaflet.markercluster extends it there, so this
// module is imported before the plugin.
import L from "leaflet";

window.L = L;

export default L;
