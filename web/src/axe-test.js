// The accessibility engine the browser tests inject into each page.
import axe from "axe-core";

window.axe = axe;
