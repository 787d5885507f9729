"""Discovery: proposing each portal's component sites (homepage links, link lists, sitemap.xml),
a reviewable proposals file, and merging accepted proposals into the inventory file."""
