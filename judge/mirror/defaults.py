"""The default pre-fill: the front-end libraries, fonts and icon sets generated pages use most.

Chosen from what code models write in one-file pages (React + Babel, Tailwind's Play CDN, Vue,
Alpine, jQuery, Bootstrap, Chart.js, D3, GSAP; Font Awesome, Bootstrap Icons, Material
Icons/Symbols, Lucide; the six most requested Google Fonts). Heavier, rarer ones (three.js,
the full icon SVG sets) are fetched on first use instead.
"""

from __future__ import annotations

DEFAULT_URLS = (
    "https://unpkg.com/react@18/umd/react.production.min.js",
    "https://unpkg.com/react-dom@18/umd/react-dom.production.min.js",
    "https://unpkg.com/@babel/standalone/babel.min.js",
    "https://unpkg.com/vue@3/dist/vue.global.prod.js",
    "https://cdn.jsdelivr.net/npm/alpinejs@3.x.x/dist/cdn.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js",
    "https://cdn.tailwindcss.com",
    "https://cdn.jsdelivr.net/npm/@tailwindcss/browser@4",
    "https://cdn.jsdelivr.net/npm/chart.js",
    "https://cdn.jsdelivr.net/npm/d3@7",
    "https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.5/gsap.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/animate.css/4.1.1/animate.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.5.1/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/5.15.4/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/bootstrap-icons@1.11.3/font/bootstrap-icons.min.css",
    "https://fonts.googleapis.com/icon?family=Material+Icons",
    "https://fonts.googleapis.com/css2?family=Material+Symbols+Outlined",
    "https://unpkg.com/lucide@latest",
    "https://fonts.googleapis.com/css2?family=Inter:wght@400;700&family=Roboto:wght@400;700"
    "&family=Poppins:wght@400;700&family=Open+Sans:wght@400;700"
    "&family=Montserrat:wght@400;700&family=Lato:wght@400;700&display=swap",
)
